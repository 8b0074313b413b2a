using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Documents;

/// <summary>The document functions under the Functions host: each runs the handler standalone maps (<see cref="DocumentsApi"/>).</summary>
internal sealed class DocumentsFunctions(HttpFunctionAdapter http)
{
    [Function(FunctionNames.IngestDocument)]
    public Task Ingest([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Documents)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.IngestDocument, ApiRoutes.Documents, DocumentsApi.IngestAsync);

    [Function(FunctionNames.ListDocuments)]
    public Task List([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Documents)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.ListDocuments, ApiRoutes.Documents, DocumentsApi.ListAsync);

    [Function(FunctionNames.GetDocument)]
    public Task Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Document)] HttpRequest request, string id) =>
        http.RunAsync(request, FunctionNames.GetDocument, ApiRoutes.Document, DocumentsApi.GetAsync, ("id", id));

    [Function(FunctionNames.DeleteDocument)]
    public Task Delete([HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Document)] HttpRequest request, string id) =>
        http.RunAsync(request, FunctionNames.DeleteDocument, ApiRoutes.Document, DocumentsApi.DeleteAsync, ("id", id));
}

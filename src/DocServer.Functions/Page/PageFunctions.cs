using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Page;

/// <summary>
/// The page (anonymous: it holds no data, and every API call it makes carries the function key) and the
/// OpenAPI document under the Functions host.
/// </summary>
internal sealed class PageFunctions(HttpFunctionAdapter http)
{
    [Function(FunctionNames.Page)]
    public Task Page([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Page)] HttpRequest request) =>
        http.ServePageAsync(request);

    [Function(FunctionNames.OpenApi)]
    public Task OpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.OpenApi)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.OpenApi, ApiRoutes.OpenApi, OpenApiFile.Serve);
}

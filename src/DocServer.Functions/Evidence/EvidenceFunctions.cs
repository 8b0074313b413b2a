using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Evidence;

/// <summary>POST /api/evidence under the Functions host: the handler standalone maps (<see cref="EvidenceApi"/>).</summary>
internal sealed class EvidenceFunctions(HttpFunctionAdapter http)
{
    [Function(FunctionNames.Evidence)]
    public Task Evidence([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Evidence)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.Evidence, ApiRoutes.Evidence, EvidenceApi.ExtractAsync);
}

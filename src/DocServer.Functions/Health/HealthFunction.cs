using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Health;

/// <summary>GET /api/health under the Functions host: the handler standalone maps (<see cref="HealthApi"/>).</summary>
internal sealed class HealthFunction(HttpFunctionAdapter http)
{
    [Function(FunctionNames.Health)]
    public Task Health([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Health)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.Health, ApiRoutes.Health, HealthApi.CheckAsync);
}

using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Ask;

/// <summary>The ask functions under the Functions host: each runs the handler standalone maps (<see cref="AskApi"/>).</summary>
internal sealed class AskFunctions(HttpFunctionAdapter http)
{
    [Function(FunctionNames.Ask)]
    public Task Ask([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Ask)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.Ask, ApiRoutes.Ask, AskApi.AskAsync);

    [Function(FunctionNames.AskStream)]
    public Task AskStream([HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.AskStream)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.AskStream, ApiRoutes.AskStream, AskApi.Stream);

    [Function(FunctionNames.GetAsk)]
    public Task GetAsk([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.AskResult)] HttpRequest request, string id) =>
        http.RunAsync(request, FunctionNames.GetAsk, ApiRoutes.AskResult, AskApi.GetAskAsync, ("id", id));
}

using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Gates;

/// <summary>Gate status (<see cref="GateApi"/>) and the sweep timer under the Functions host.</summary>
internal sealed class GateFunctions(HttpFunctionAdapter http, FunctionInvoker invoker)
{
    [Function(FunctionNames.GateStatus)]
    public Task Status([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.GateStatus)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.GateStatus, ApiRoutes.GateStatus, GateApi.StatusAsync);

    [Function(FunctionNames.GateSweep)]
    public Task Sweep([TimerTrigger($"%{Configuration.FlatSettings.GateSweepSchedule}%")] TimerInfo timer, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(FunctionNames.GateSweep, cancellationToken);
}

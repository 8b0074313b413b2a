using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Extraction;

/// <summary>The extraction timer under the Functions host (standalone, the scheduler fires the same invocation).</summary>
internal sealed class ExtractionFunctions(FunctionInvoker invoker)
{
    [Function(FunctionNames.ExtractionCatchUp)]
    public Task CatchUp([TimerTrigger($"%{Configuration.FlatSettings.ExtractionCatchUpSchedule}%")] TimerInfo timer, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(FunctionNames.ExtractionCatchUp, cancellationToken);
}

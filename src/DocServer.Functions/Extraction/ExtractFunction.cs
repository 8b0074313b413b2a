using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Extraction;

/// <summary>
/// Background extraction of one ingested document, as the extract queue delivers it. The worker binds the
/// message to a string exactly as it was sent (the plain document id, or the trace envelope around it).
/// </summary>
internal sealed class ExtractFunction(FunctionInvoker invoker)
{
    [Function(FunctionNames.Extract)]
    public Task Extract([QueueTrigger($"%{Configuration.FlatSettings.ExtractQueue}%", Connection = FunctionInvoker.StorageConnection)] string message, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(FunctionNames.Extract, message, cancellationToken);
}

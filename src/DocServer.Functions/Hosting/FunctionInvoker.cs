using System.Diagnostics;
using DocServer.Core.Gates;
using DocServer.Core.Telemetry;
using DocServer.Functions.Ask;
using DocServer.Functions.Digests;
using DocServer.Functions.Extraction;
using DocServer.Functions.Telemetry;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The one code path of each timer and queue function, whoever triggers it: the Functions host (through the
/// [Function] methods) or, standalone, the in-process scheduler and queue listener.
/// </summary>
internal sealed class FunctionInvoker(GateClient gates, DigestService digests, DocumentExtraction extraction, AskJobs asks)
{
    /// <summary>The queue triggers' connection: the app setting the Functions host reads storage from (both forms).</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>The isolated worker's source: its invocation span continues the Functions host's trace.</summary>
    public const string WorkerActivitySource = "Microsoft.Azure.Functions.Worker";

    /// <summary>
    /// Runs a function as a span linked to the trace the queue message was sent from (an extraction links to the
    /// ingest that caused it). Under the Functions host it is a child of the worker's invocation span, so the host's
    /// trace continues into ours; standalone it is a trace of its own (not a child of the listener's loop).
    /// </summary>
    public async Task<object?> InvokeAsync(string function, string? input, CancellationToken cancellationToken)
    {
        var (body, sentFrom) = input is not null && FunctionCatalog.IsQueueTriggered(function) ? TracedMessage.Unwrap(input) : (input, null);
        var caller = Activity.Current;
        var parent = caller?.Source.Name == WorkerActivitySource ? caller.Context : default;
        Activity.Current = null;
        using var activity = PipelineTelemetry.Source.StartActivity(
            function,
            FunctionCatalog.IsQueueTriggered(function) ? ActivityKind.Consumer : ActivityKind.Internal,
            parent,
            links: sentFrom is { } context ? [new ActivityLink(context)] : null);
        Activity.Current = activity ?? caller;
        activity?.SetTag(PipelineTags.Function, function);
        try
        {
            return await RunAsync(function, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity.Fail(ex.GetType().FullName ?? ex.GetType().Name, ex.Message);
            throw;
        }
    }

    private async Task<object?> RunAsync(string function, string? input, CancellationToken cancellationToken) => function switch
    {
        FunctionNames.GateSweep => await SweepAsync(cancellationToken).ConfigureAwait(false),
        FunctionNames.Digest => await digests.RunAsync(cancellationToken).ConfigureAwait(false),
        FunctionNames.Extract => await extraction.RunAsync(input ?? throw new ArgumentException("Extract needs the document id as its message."), cancellationToken).ConfigureAwait(false),
        FunctionNames.AskJob => await asks.RunQueuedAsync(input ?? throw new ArgumentException("AskJob needs the accepted ask as its message."), cancellationToken).ConfigureAwait(false),
        _ => throw new KeyNotFoundException($"No function '{function}'."),
    };

    /// <summary>The sweep timer: dead leases and waiters on every gate, then expired asynchronous ask results.</summary>
    private async Task<IReadOnlyDictionary<string, SweepResult>> SweepAsync(CancellationToken cancellationToken)
    {
        var swept = await gates.SweepAllAsync(cancellationToken).ConfigureAwait(false);
        await asks.DeleteExpiredAsync(cancellationToken).ConfigureAwait(false);
        return swept;
    }
}

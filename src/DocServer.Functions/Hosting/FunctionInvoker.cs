using System.Diagnostics;
using DocServer.Core.Gates;
using DocServer.Core.Telemetry;
using DocServer.Functions.Ask;
using DocServer.Functions.Digests;
using DocServer.Functions.Telemetry;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The one code path of each timer function, whoever triggers it: the Functions host (through the [Function]
/// methods) or, standalone, the in-process scheduler; and the span every piece of background work runs in.
/// </summary>
internal sealed class FunctionInvoker(GateClient gates, DigestService digests, AskJobs asks, Extraction.ExtractionCatchUp catchUp, TimeProvider time)
{
    /// <summary>The isolated worker's source: its invocation span continues the Functions host's trace.</summary>
    public const string WorkerActivitySource = "Microsoft.Azure.Functions.Worker";

    /// <summary>
    /// A timer function the Functions host fired. The host runs a timer on one instance at a time, so the occurrence
    /// needs no agreement between instances: the time it fired, to the second, stands for it.
    /// </summary>
    public Task<object?> InvokeAsync(string function, CancellationToken cancellationToken) =>
        InvokeAsync(function, DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()), cancellationToken);

    /// <summary>Runs a timer function for its schedule's <paramref name="occurrence"/> as a span of its own, as all background work runs (below).</summary>
    public Task<object?> InvokeAsync(string function, DateTimeOffset occurrence, CancellationToken cancellationToken) =>
        TracedAsync(function, ActivityKind.Internal, null, () => RunAsync(function, occurrence, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs background work as a span of its own, linked to the trace that asked for it (an activity links to the
    /// ingest or ask that scheduled its orchestration). Under the Functions host it is a child of the worker's
    /// invocation span, so the host's trace continues into ours; standalone it is a trace of its own (not a child
    /// of the scheduler's or the task hub worker's loop).
    /// </summary>
    public static async Task<T> TracedAsync<T>(string function, ActivityKind kind, ActivityContext? sentFrom, Func<Task<T>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var caller = Activity.Current;
        var parent = caller?.Source.Name == WorkerActivitySource ? caller.Context : default;
        Activity.Current = null;
        using var activity = PipelineTelemetry.Source.StartActivity(function, kind, parent, links: sentFrom is { } context ? [new ActivityLink(context)] : null);
        Activity.Current = activity ?? caller;
        activity?.SetTag(PipelineTags.Function, function);
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity.Fail(ex.GetType().FullName ?? ex.GetType().Name, ex.Message);
            throw;
        }
    }

    /// <summary>An activity's run: a consumer span linked to the W3C id its orchestration's input carries (if any).</summary>
    public static Task<T> TracedAsync<T>(string function, string? sentFromTraceParent, Func<Task<T>> run, CancellationToken cancellationToken) =>
        TracedAsync(function, ActivityKind.Consumer, ActivityContext.TryParse(sentFromTraceParent, null, out var sentFrom) ? sentFrom : null, run, cancellationToken);

    private async Task<object?> RunAsync(string function, DateTimeOffset occurrence, CancellationToken cancellationToken) => function switch
    {
        FunctionNames.GateSweep => await SweepAsync(cancellationToken).ConfigureAwait(false),
        FunctionNames.DigestTimer => await digests.StartAsync(occurrence, cancellationToken).ConfigureAwait(false),
        FunctionNames.ExtractionCatchUp => await catchUp.RunAsync(cancellationToken).ConfigureAwait(false),
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

using System.Diagnostics.Metrics;
using DocServer.Core.Telemetry;
using DocServer.Functions.Documents;
using DocServer.Llm.Health;

namespace DocServer.Functions.Telemetry;

/// <summary>
/// The app's observable instruments, read when the exporter collects: how far behind background extraction is
/// (the queue's approximate count, sampled by <see cref="QueueBacklogSampler"/>), how old this instance's index
/// is, and whether each MLX endpoint is up as this instance's breaker sees it.
/// </summary>
internal sealed class PipelineGauges
{
    private readonly DocumentIndex _index;
    private readonly EndpointHealth _health;
    private readonly TimeProvider _time;
    private Backlog? _backlog;

    public PipelineGauges(PipelineMetrics metrics, DocumentIndex index, EndpointHealth health, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _index = index;
        _health = health;
        _time = time;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("docserver.extraction.backlog", ObserveBacklog, "{message}", "Extraction messages waiting in the queue (the service's approximate count); absent while the queue cannot be read.");
        meter.CreateObservableGauge("docserver.index.age", ObserveIndexAge, "s", "Seconds since this instance's index last caught up with the document change log.");
        meter.CreateObservableGauge("docserver.index.chunks", () => _index.State.Chunks, "{chunk}", "Chunks in this instance's index.");
        meter.CreateObservableGauge("docserver.endpoint.up", ObserveEndpoints, "1", "1 while an MLX endpoint's circuit is closed (host up), 0 while it is open (G13).");
    }

    /// <summary>The latest count read from the queue, and when; a sample older than <paramref name="staleAfter"/> is not reported.</summary>
    public void BacklogSampled(string queue, int count, DateTimeOffset at, TimeSpan staleAfter) => Volatile.Write(ref _backlog, new Backlog(queue, count, at, staleAfter));

    private IEnumerable<Measurement<int>> ObserveBacklog()
    {
        // A stale count is worse than none: while storage cannot be read the chart shows a gap, not a flat line.
        if (Volatile.Read(ref _backlog) is { } b && _time.GetUtcNow() - b.At <= b.StaleAfter)
        {
            yield return new Measurement<int>(b.Count, new KeyValuePair<string, object?>(PipelineTags.Queue, b.Queue));
        }
    }

    private IEnumerable<Measurement<double>> ObserveIndexAge()
    {
        if (_index.State.RefreshedSecondsAgo is { } age)
        {
            yield return new Measurement<double>(age);
        }
    }

    private IEnumerable<Measurement<int>> ObserveEndpoints() =>
        _health.Reports().Select(r => new Measurement<int>(r.State == "up" ? 1 : 0, new KeyValuePair<string, object?>(PipelineTags.Endpoint, r.Endpoint)));

    private sealed record Backlog(string Queue, int Count, DateTimeOffset At, TimeSpan StaleAfter);
}

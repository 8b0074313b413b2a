using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DocServer.Core.Gates;

namespace DocServer.Core.Telemetry;

/// <summary>
/// The pipeline's instruments, on one meter named <see cref="PipelineTelemetry.Name"/>: how long callers wait
/// at a gate and hold it, how many wait, how long the model takes to its first chunk and to the end, what the
/// asks came to. The seed logged these numbers (wait ms, queue length, elapsed ms); here they can be charted.
/// Model calls follow the GenAI semantic conventions (gen_ai.client.*); the rest are ours (docserver.*).
/// </summary>
public sealed class PipelineMetrics
{
    /// <summary>Seconds, from a local call's few milliseconds to a background wait of minutes.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    /// <summary>The GenAI conventions' buckets for token counts.</summary>
    private static readonly InstrumentAdvice<long> Tokens = new()
    {
        HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576],
    };

    private readonly Histogram<double> _gateWait;
    private readonly Histogram<double> _gateHold;
    private readonly Histogram<double> _modelDuration;
    private readonly Histogram<double> _firstChunk;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _askDuration;
    private readonly Counter<long> _evidence;
    private readonly ConcurrentDictionary<string, GateLoad> _gates = new(StringComparer.Ordinal);

    public PipelineMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(PipelineTelemetry.Name);
        _gateWait = Meter.CreateHistogram("docserver.gate.wait", "s", "Time from joining a gate's queue to its grant, or to giving up (by gate, priority and outcome).", advice: Seconds);
        _gateHold = Meter.CreateHistogram("docserver.gate.hold", "s", "Time a lease was held, from grant to release (by gate and priority).", advice: Seconds);
        Meter.CreateObservableGauge("docserver.gate.queue.length", ObserveQueues, "{request}", "Requests waiting at a gate, by priority, as this instance last saw the gate's row.");
        Meter.CreateObservableGauge("docserver.gate.holders", ObserveHolders, "{request}", "Leases held at a gate (at most its capacity), as this instance last saw the gate's row.");
        _modelDuration = Meter.CreateHistogram("gen_ai.client.operation.duration", "s", "A model call from the grant to the last chunk (by endpoint, model, call kind and outcome).", advice: Seconds);
        _firstChunk = Meter.CreateHistogram("gen_ai.client.operation.time_to_first_chunk", "s", "A streamed model call from the grant to its first chunk.", advice: Seconds);
        _tokens = Meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Input and output tokens of a model call, as the host reported them.", advice: Tokens);
        _askDuration = Meter.CreateHistogram("docserver.ask.duration", "s", "An ask from arrival to its answer (by outcome: found, extractive, or why not).", advice: Seconds);
        _evidence = Meter.CreateCounter<long>("docserver.evidence.outcomes", "{ask}", "Evidence extractions by outcome: the model's evidence (model) or the skip reason.");
    }

    /// <summary>The meter, for the app's own observable instruments (backlog, index age, endpoint health).</summary>
    public Meter Meter { get; }

    public void GateWaited(string gate, GatePriority priority, string outcome, TimeSpan waited) =>
        _gateWait.Record(waited.TotalSeconds, new TagList { { PipelineTags.Gate, gate }, { PipelineTags.Priority, Name(priority) }, { PipelineTags.WaitOutcome, outcome } });

    public void GateHeld(string gate, GatePriority priority, TimeSpan held) =>
        _gateHold.Record(held.TotalSeconds, new TagList { { PipelineTags.Gate, gate }, { PipelineTags.Priority, Name(priority) } });

    /// <summary>What a committed write of the gate's row left: read by the queue-length and holder gauges.</summary>
    public void GateSeen(string gate, GateState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var foreground = state.Waiters.Count(w => w.Priority == GatePriority.Foreground);
        _gates[gate] = new GateLoad(foreground, state.Waiters.Length - foreground, state.Holders.Length);
    }

    public void ModelCalled(ModelCallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var tags = new TagList
        {
            { PipelineTags.GenAiOperation, "chat" },
            { PipelineTags.GenAiProvider, ModelCallRecord.Provider },
            { PipelineTags.GenAiRequestModel, call.Model },
            { PipelineTags.Endpoint, call.Endpoint },
            { PipelineTags.CallKind, Name(call.Kind) },
            { PipelineTags.CallOutcome, call.Outcome },
        };
        if (call.ErrorType is { } error)
        {
            tags.Add(PipelineTags.ErrorType, error);
        }

        _modelDuration.Record(call.Duration.TotalSeconds, tags);
        if (call.FirstChunk is { } first)
        {
            _firstChunk.Record(first.TotalSeconds, tags);
        }

        if (call.Usage is { } usage)
        {
            var input = tags;
            input.Add(PipelineTags.GenAiTokenType, "input");
            _tokens.Record(usage.InputTokens, input);
            var output = tags;
            output.Add(PipelineTags.GenAiTokenType, "output");
            _tokens.Record(usage.OutputTokens, output);
        }
    }

    /// <summary>One ask: found (the model's answer), extractive (quoted from the evidence), not_found, or an error; <paramref name="reason"/> says why it fell back.</summary>
    public void Asked(string outcome, string? reason, TimeSpan duration) =>
        _askDuration.Record(duration.TotalSeconds, new TagList { { PipelineTags.AskOutcome, outcome }, { PipelineTags.AskReason, reason ?? "none" } });

    /// <summary>One evidence extraction: <paramref name="skipReason"/> null means the model's evidence, as asked.</summary>
    public void EvidenceExtracted(string? skipReason) =>
        _evidence.Add(1, new KeyValuePair<string, object?>(PipelineTags.EvidenceOutcome, skipReason ?? "model"));

    public static string Name(GatePriority priority) => priority == GatePriority.Foreground ? "foreground" : "background";

    public static string Name(ModelCallKind kind) => kind switch
    {
        ModelCallKind.Evidence => "evidence",
        ModelCallKind.Synthesis => "synthesis",
        ModelCallKind.Summary => "summary",
        _ => "other",
    };

    private IEnumerable<Measurement<int>> ObserveQueues() => _gates.SelectMany(g => new[]
    {
        new Measurement<int>(g.Value.Foreground, new KeyValuePair<string, object?>(PipelineTags.Gate, g.Key), new KeyValuePair<string, object?>(PipelineTags.Priority, "foreground")),
        new Measurement<int>(g.Value.Background, new KeyValuePair<string, object?>(PipelineTags.Gate, g.Key), new KeyValuePair<string, object?>(PipelineTags.Priority, "background")),
    });

    private IEnumerable<Measurement<int>> ObserveHolders() =>
        _gates.Select(g => new Measurement<int>(g.Value.Holders, new KeyValuePair<string, object?>(PipelineTags.Gate, g.Key)));

    private sealed record GateLoad(int Foreground, int Background, int Holders);
}

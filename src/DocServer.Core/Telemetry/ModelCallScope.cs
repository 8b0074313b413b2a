using System.Diagnostics;
using DocServer.Core.Gates;
using DocServer.Core.Llm;

namespace DocServer.Core.Telemetry;

/// <summary>
/// One model call, measured: a client span named after the GenAI conventions (<c>chat {model}</c>) that is the
/// parent of the HTTP call to the host, the time to the first streamed chunk, the tokens the host reported, and
/// on <see cref="End"/> the outcome on the span and in <see cref="PipelineMetrics"/>.
/// </summary>
internal sealed class ModelCallScope : IDisposable
{
    private readonly PipelineMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILanguageModel _model;
    private readonly ModelCallKind _kind;
    private readonly Activity? _activity;
    private readonly long _started;
    private long _firstChunk;
    private ModelUsage? _usage;

    public ModelCallScope(PipelineMetrics? metrics, TimeProvider time, ILanguageModel model, LanguageModelRequest prompt)
    {
        _metrics = metrics;
        _time = time;
        _model = model;
        _kind = prompt.Kind;
        _started = time.GetTimestamp();
        _activity = PipelineTelemetry.Source.StartActivity($"chat {model.Model}", ActivityKind.Client);
        _activity?.SetTag(PipelineTags.GenAiOperation, "chat");
        _activity?.SetTag(PipelineTags.GenAiProvider, ModelCallRecord.Provider);
        _activity?.SetTag(PipelineTags.GenAiRequestModel, model.Model);
        _activity?.SetTag(PipelineTags.GenAiMaxTokens, prompt.MaxTokens);
        _activity?.SetTag(PipelineTags.GenAiTemperature, prompt.Temperature);
        _activity?.SetTag(PipelineTags.Endpoint, model.Endpoint);
        _activity?.SetTag(PipelineTags.CallKind, PipelineMetrics.Name(prompt.Kind));
        var onText = prompt.OnText;
        var onUsage = prompt.OnUsage;
        Request = prompt with
        {
            OnText = text =>
            {
                Interlocked.CompareExchange(ref _firstChunk, _time.GetTimestamp(), 0);
                onText?.Invoke(text);
            },
            OnUsage = usage =>
            {
                _usage = usage;
                onUsage?.Invoke(usage);
            },
        };
    }

    /// <summary>The prompt to send: the caller's, with its callbacks observed.</summary>
    public LanguageModelRequest Request { get; }

    public void End(GateCallOutcome outcome) => Record(Outcome(outcome), outcome == GateCallOutcome.Completed ? null : Outcome(outcome));

    /// <summary>A failure none of the call's outcomes describes (the host refused the request itself, say): recorded, then rethrown by the caller.</summary>
    public void Failed(Exception exception) => Record("error", exception.GetType().FullName ?? exception.GetType().Name);

    /// <summary>The caller gave up (the ask's client left): not the model's failure.</summary>
    public void Cancelled() => Record("cancelled", null);

    public void Dispose() => _activity?.Dispose();

    public static string Outcome(GateCallOutcome outcome) => outcome switch
    {
        GateCallOutcome.Completed => "completed",
        GateCallOutcome.WaitBudgetExceeded => "wait_budget_exceeded",
        GateCallOutcome.QueueFull => "queue_full",
        GateCallOutcome.TimedOut => "timed_out",
        GateCallOutcome.LeaseLost => "lease_lost",
        GateCallOutcome.EndpointDown => "endpoint_down",
        GateCallOutcome.Stalled => "stalled",
        GateCallOutcome.HostFailed => "host_failed",
        _ => outcome.ToString(),
    };

    private void Record(string outcome, string? errorType)
    {
        var first = Volatile.Read(ref _firstChunk);
        var record = new ModelCallRecord(_model.Endpoint, _model.Model, _kind, outcome, _time.GetElapsedTime(_started))
        {
            FirstChunk = first == 0 ? null : _time.GetElapsedTime(_started, first),
            Usage = _usage,
            ErrorType = errorType,
        };
        _metrics?.ModelCalled(record);
        if (_activity is null)
        {
            return;
        }

        _activity.SetTag(PipelineTags.CallOutcome, outcome);
        if (record.FirstChunk is { } chunk)
        {
            _activity.SetTag(PipelineTags.GenAiFirstChunk, chunk.TotalSeconds);
        }

        if (record.Usage is { } usage)
        {
            _activity.SetTag(PipelineTags.GenAiInputTokens, usage.InputTokens);
            _activity.SetTag(PipelineTags.GenAiOutputTokens, usage.OutputTokens);
        }

        if (errorType is not null)
        {
            _activity.Fail(errorType);
        }
    }
}

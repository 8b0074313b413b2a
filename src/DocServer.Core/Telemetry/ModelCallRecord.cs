using DocServer.Core.Llm;

namespace DocServer.Core.Telemetry;

/// <summary>
/// One model call as measured around it: on which endpoint and model, for what, how it ended, how long it
/// took from the grant to the end and to the first chunk, and the tokens the host reported (if it did).
/// </summary>
public sealed record ModelCallRecord(string Endpoint, string Model, ModelCallKind Kind, string Outcome, TimeSpan Duration)
{
    /// <summary>The GenAI conventions' provider name: the hosts run mlx_lm.server (an OpenAI-compatible API).</summary>
    public const string Provider = "mlx";

    public TimeSpan? FirstChunk { get; init; }

    public ModelUsage? Usage { get; init; }

    /// <summary>Set when the call failed: the outcome, or the exception's type for an unexpected failure.</summary>
    public string? ErrorType { get; init; }
}

using DocServer.Core.Telemetry;

namespace DocServer.Core.Llm;

/// <summary>
/// A chat model behind one endpoint. <see cref="Endpoint"/> names the endpoint and so its gate (G1):
/// callers run <see cref="CompleteAsync"/> only inside that gate's lease.
/// </summary>
public interface ILanguageModel
{
    string Endpoint { get; }

    /// <summary>The model the endpoint serves (the GenAI conventions' <c>gen_ai.request.model</c>).</summary>
    string Model { get; }

    Task<string> CompleteAsync(LanguageModelRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// One prompt, answered in one call. Temperature 0: extraction wants the same answer every time. A streamed
/// reply must start within <see cref="FirstTokenTimeout"/> and never pause longer than <see cref="IdleTimeout"/>
/// (null: no such deadline); the whole call's cap is the caller's (G2).
/// </summary>
public sealed record LanguageModelRequest(string Prompt, int MaxTokens, double Temperature = 0, string? System = null)
{
    public TimeSpan? FirstTokenTimeout { get; init; }

    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Called with each piece of the reply as the model writes it (a streamed answer); the whole reply is still returned.</summary>
    public Action<string>? OnText { get; init; }

    /// <summary>Called once with the tokens the call used, when the host reports them (mlx_lm.server does at the end of a stream).</summary>
    public Action<ModelUsage>? OnUsage { get; init; }

    /// <summary>What the call is for: tags its span and measurements.</summary>
    public ModelCallKind Kind { get; init; }
}

namespace DocServer.Core.Answers;

public sealed record SynthesisOptions
{
    /// <summary>G2: the call's cap, counted from the grant of the gate lease (the seed measured 30-48 s per synthesis).</summary>
    public TimeSpan LlmTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan? FirstTokenTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the gate before answering extractively.</summary>
    public TimeSpan GateWaitBudget { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxAnswerTokens { get; init; } = 800;

    /// <summary>How many evidence spans an extractive answer quotes.</summary>
    public int ExtractiveItems { get; init; } = 4;
}

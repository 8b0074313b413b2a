namespace DocServer.Core.Answers;

public sealed record SynthesisOptions
{
    /// <summary>G2: counted from the grant of the gate lease.</summary>
    public TimeSpan LlmTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the gate before answering extractively.</summary>
    public TimeSpan GateWaitBudget { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxAnswerTokens { get; init; } = 800;

    /// <summary>How many evidence spans an extractive answer quotes.</summary>
    public int ExtractiveItems { get; init; } = 4;
}

namespace DocServer.Core.Answers;

public sealed record SynthesisOptions
{
    /// <summary>G2: counted from the grant of the gate lease; a long cap (the seed measured 30-48 s per synthesis), short stall deadlines.</summary>
    public Llm.CallDeadlines Deadlines { get; init; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10));

    /// <summary>How long to wait for the gate before answering extractively.</summary>
    public TimeSpan GateWaitBudget { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxAnswerTokens { get; init; } = 800;

    /// <summary>How many evidence spans an extractive answer quotes.</summary>
    public int ExtractiveItems { get; init; } = 4;
}

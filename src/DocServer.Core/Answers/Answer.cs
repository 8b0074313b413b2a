namespace DocServer.Core.Answers;

/// <summary>
/// The answer to a question. <see cref="Extractive"/>: built from the evidence spans because the model
/// could not be used (<see cref="Reason"/> says why). <see cref="Found"/> false: no evidence at all.
/// </summary>
public sealed record Answer(string Text, IReadOnlyList<int> Citations, bool Found, bool Extractive, string? Reason, double GateWaitMs, double LlmMs)
{
    /// <summary>G12: the endpoint the model call went to (a pool member or the overflow); null when no call was made.</summary>
    public string? Endpoint { get; init; }
}

namespace DocServer.Core.Evidence;

/// <summary>The evidence, why it is what it is (null: the model's evidence, as asked), and what it took.</summary>
public sealed record EvidenceResult(IReadOnlyList<EvidenceItem> Items, string? SkipReason, EvidenceStats Stats);

/// <summary>
/// Counts for logs and the API: candidates sent, items kept, spans expanded (E10), how spans were
/// grounded (E18), rule spans added (E12), windows with no query hit, and the time waited and spent.
/// </summary>
public sealed record EvidenceStats(
    int Candidates,
    int Kept,
    int Expanded,
    int Exact,
    int Snapped,
    int Dropped,
    int Supplemented,
    int UnanchoredWindows,
    double GateWaitMs,
    double LlmMs)
{
    public static EvidenceStats Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>G12: the endpoint the model call went to; null when no call was made.</summary>
    public string? Endpoint { get; init; }
}

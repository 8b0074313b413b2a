using DocServer.Core.Text;

namespace DocServer.Core.Evidence;

/// <summary>
/// A result chosen for the model (E2), numbered as the prompt numbers it, with its query-centred
/// window (E5): <see cref="Window"/> is <c>Result.Text[WindowStart..]</c>, at most 1200 chars.
/// </summary>
public sealed record EvidenceCandidate(int N, SearchResult Result, int WindowStart, string Window, bool Anchored)
{
    internal FoldedText FoldedWindow { get; } = FoldedText.Of(Window);
}

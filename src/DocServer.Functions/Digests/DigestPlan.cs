using DocServer.Functions.Extraction;

namespace DocServer.Functions.Digests;

/// <summary>
/// A run's window (documents ingested after <paramref name="From"/> up to <paramref name="To"/>), claimed once, and
/// the versions in it that have no summary yet: the run summarises those through the Summarise activity (the
/// gate, BACKGROUND), exactly as their extraction would, then writes the digest from what the documents hold.
/// <paramref name="TraceParent"/> is the run's (the timer's span).
/// </summary>
internal sealed record DigestPlan(string RunId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ExtractionRequest> ToSummarise, string? TraceParent = null);

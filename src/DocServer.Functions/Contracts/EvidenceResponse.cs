using DocServer.Core.Evidence;

namespace DocServer.Functions.Contracts;

/// <summary>POST /api/evidence: the evidence items, why the model was not used (if it was not), and the counts.</summary>
internal sealed record EvidenceResponse(IReadOnlyList<EvidenceItemResponse> Items, string? SkipReason, EvidenceStatsResponse Stats)
{
    public static EvidenceResponse From(EvidenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var stats = result.Stats;
        return new(
            EvidenceItemResponse.From(result.Items),
            result.SkipReason,
            new(stats.Candidates, stats.Kept, stats.Expanded, stats.Exact, stats.Snapped, stats.Dropped, stats.Supplemented, stats.UnanchoredWindows, stats.GateWaitMs, stats.LlmMs, stats.Endpoint));
    }
}

/// <summary>One evidence span: <c>[n]</c> in the answer, its place in its chunk, and who chose it (Llm, Supplement, RuleFallback).</summary>
internal sealed record EvidenceItemResponse(
    int N,
    string? ChunkId,
    string DocId,
    string? Title,
    string? SectionTitle,
    string Span,
    int Start,
    int End,
    double Relevance,
    double RerankScore,
    string FullWindow,
    string Source)
{
    public static IReadOnlyList<EvidenceItemResponse> From(IReadOnlyList<EvidenceItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return [.. items.Select(i => new EvidenceItemResponse(i.N, i.ChunkId, i.DocId, i.Title, i.SectionTitle, i.Span, i.Start, i.End, i.Relevance, i.RerankScore, i.FullWindow, i.Source.ToString()))];
    }
}

/// <summary>How the extraction went: candidates, what was kept, grounded, dropped or added, and the gate's and model's time.</summary>
internal sealed record EvidenceStatsResponse(
    int Candidates,
    int Kept,
    int Expanded,
    int Exact,
    int Snapped,
    int Dropped,
    int Supplemented,
    int UnanchoredWindows,
    double GateWaitMs,
    double LlmMs,
    string? Endpoint);

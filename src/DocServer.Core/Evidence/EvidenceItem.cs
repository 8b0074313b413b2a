namespace DocServer.Core.Evidence;

public enum EvidenceSource
{
    /// <summary>Chosen by the model (and grounded, E18).</summary>
    Llm,

    /// <summary>Added by rule because the model kept too few (E12).</summary>
    Supplement,

    /// <summary>The model was not asked, failed, or kept nothing: query-centred rule span (E14).</summary>
    RuleFallback,
}

/// <summary>
/// One piece of evidence. <see cref="Span"/> is exactly <c>chunk text[Start..End]</c> (E18); it is what
/// synthesis sees. <see cref="FullWindow"/> is the 1200-char window around it, for showing a citation
/// in context, never for synthesis (E15).
/// </summary>
public sealed record EvidenceItem(
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
    EvidenceSource Source);

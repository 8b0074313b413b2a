namespace DocServer.Core.Evidence;

/// <summary>
/// One retrieved chunk, as the retriever (or the document server calling /api/evidence) hands it over.
/// <paramref name="Text"/> is the chunk's full text: spans and their offsets refer to it.
/// </summary>
public sealed record SearchResult(
    string DocId,
    string? ChunkId,
    string? Title,
    string? SectionTitle,
    string Text,
    double? Score,
    double? RerankScore)
{
    /// <summary>The reranker's score when there is one, else the retrieval score (E2, E14).</summary>
    public double EffectiveScore => RerankScore ?? Score ?? 0;
}

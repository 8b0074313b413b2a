namespace DocServer.Storage.Documents;

/// <summary>
/// A stored document as the API shows it. Summary and keywords arrive later, from background extraction.
/// <see cref="Version"/> names the stored chunks and original this row points to (null for documents stored
/// before versions existed, whose parts sit under the bare id).
/// </summary>
public sealed record DocumentRecord(
    string Id,
    string Title,
    string ContentType,
    DateTimeOffset IngestedAt,
    int Chunks,
    int Characters,
    string? Summary,
    IReadOnlyList<string>? Keywords,
    DateTimeOffset? ExtractedAt,
    string? Version = null,
    string? ExtractedVersion = null)
{
    /// <summary>True when this version already has its summary: a second delivery of its extraction has nothing to do.</summary>
    public bool IsExtracted => Summary is not null && ExtractedVersion == Version;
}

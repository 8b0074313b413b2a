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
    string? Version = null);

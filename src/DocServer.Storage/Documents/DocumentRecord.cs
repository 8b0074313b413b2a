namespace DocServer.Storage.Documents;

/// <summary>A stored document as the API shows it. Summary and keywords arrive later, from background extraction.</summary>
public sealed record DocumentRecord(
    string Id,
    string Title,
    string ContentType,
    DateTimeOffset IngestedAt,
    int Chunks,
    int Characters,
    string? Summary,
    IReadOnlyList<string>? Keywords,
    DateTimeOffset? ExtractedAt);

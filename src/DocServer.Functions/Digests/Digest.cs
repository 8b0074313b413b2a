namespace DocServer.Functions.Digests;

/// <summary>What was added between two digests, one summary per document.</summary>
internal sealed record Digest(string Id, DateTimeOffset From, DateTimeOffset To, DateTimeOffset CreatedAt, IReadOnlyList<DigestEntry> Documents);

internal sealed record DigestEntry(string DocumentId, string Title, DateTimeOffset IngestedAt, string Summary, IReadOnlyList<string> Keywords);

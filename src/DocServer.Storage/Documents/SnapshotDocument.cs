namespace DocServer.Storage.Documents;

/// <summary>A document as a snapshot holds it: which version of it the snapshot's index was built from.</summary>
public sealed record SnapshotDocument(string Id, string? Version, DateTimeOffset IngestedAt);

namespace DocServer.Storage.Blobs;

/// <summary>A blob as a listing shows it.</summary>
public sealed record BlobItem(string Name, long Size, DateTimeOffset? LastModified);

/// <summary>A downloaded blob: its bytes, content type and ETag.</summary>
public sealed record BlobContent(BinaryData Data, string? ContentType, string? ETag);

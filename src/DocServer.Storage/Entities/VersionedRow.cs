namespace DocServer.Storage.Entities;

/// <summary>An entity's stored text and the ETag it was read with.</summary>
public sealed record VersionedRow(string Data, string ETag);

namespace DocServer.Storage.Documents;

/// <summary>One entry of the change log: document <see cref="Id"/> was switched to <see cref="Version"/>, or deleted (null).</summary>
public sealed record DocumentChange(long Sequence, string Id, string? Version);

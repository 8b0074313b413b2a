namespace DocServer.Storage.Digests;

/// <summary>
/// The digest's bookkeeping row: the run in progress (its window fixed when it was claimed), the cut-off
/// of the last finished run, and the newest digest written. <see cref="ETag"/> is what it was read with.
/// </summary>
public sealed record DigestRunState(
    string? PendingRun,
    DateTimeOffset? PendingFrom,
    DateTimeOffset? PendingTo,
    DateTimeOffset LastCutoff,
    string? Latest,
    string? ETag = null);

namespace DocServer.Core.Gates;

/// <summary>
/// A granted lease as the gate records it. The id is the caller's request id, so a ticket and the
/// lease it becomes share one name, and a retried Acquire finds what the first attempt created.
/// <see cref="Origin"/> is the arrival of the request it serves (G11); a place kept for the request's
/// next call inherits it.
/// </summary>
public sealed record GateHolder(
    string Id,
    string Owner,
    GatePriority Priority,
    long FencingToken,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset GrantedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset Origin)
{
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}

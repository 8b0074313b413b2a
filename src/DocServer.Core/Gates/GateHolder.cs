namespace DocServer.Core.Gates;

/// <summary>
/// A granted lease as the gate records it. The id is the caller's request id, so a ticket and the
/// lease it becomes share one name, and a retried Acquire finds what the first attempt created.
/// </summary>
public sealed record GateHolder(
    string Id,
    string Owner,
    GatePriority Priority,
    long FencingToken,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset GrantedAt,
    DateTimeOffset ExpiresAt)
{
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}

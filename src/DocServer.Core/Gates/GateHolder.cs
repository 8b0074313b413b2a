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
    /// <summary>
    /// Who runs the call of a lease that was granted to one party and run by another (an orchestration's turn, run
    /// by its activity): the first claimant owns it, and a second run of the same work (an activity re-delivered)
    /// cannot claim it again. Null until claimed; plain leases never are.
    /// </summary>
    public string? ClaimedBy { get; init; }

    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}

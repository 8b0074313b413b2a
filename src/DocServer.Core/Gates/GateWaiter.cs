namespace DocServer.Core.Gates;

/// <summary>
/// A queued ticket. Foreground waiters are served by <see cref="Origin"/>, the arrival of the request
/// the call belongs to (G11), then by <see cref="Sequence"/>; background waiters by sequence alone (G5).
/// </summary>
public sealed record GateWaiter(
    string Id,
    string Owner,
    GatePriority Priority,
    long Sequence,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset LastSeen,
    DateTimeOffset Origin)
{
    /// <summary>G7: a waiter that stopped polling is dead; it is dropped, never granted.</summary>
    public bool IsAliveAt(DateTimeOffset now, GatePolicy policy) => now - LastSeen < policy.WaiterTtl;

    /// <summary>G8 aging: a background waiter past the aging threshold competes as foreground.</summary>
    public GatePriority EffectivePriorityAt(DateTimeOffset now, GatePolicy policy) =>
        policy.AgingAfter is { } aging && Priority == GatePriority.Background && now - EnqueuedAt >= aging
            ? GatePriority.Foreground
            : Priority;
}

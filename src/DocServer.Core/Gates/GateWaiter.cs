namespace DocServer.Core.Gates;

/// <summary>A queued ticket. <see cref="Sequence"/> orders waiters of one priority first come, first served (G5).</summary>
public sealed record GateWaiter(
    string Id,
    string Owner,
    GatePriority Priority,
    long Sequence,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset LastSeen)
{
    /// <summary>G7: a waiter that stopped polling is dead; it is dropped, never granted.</summary>
    public bool IsAliveAt(DateTimeOffset now, GatePolicy policy) => now - LastSeen < policy.WaiterTtl;

    /// <summary>G8 aging: a background waiter past the aging threshold competes as foreground.</summary>
    public GatePriority EffectivePriorityAt(DateTimeOffset now, GatePolicy policy) =>
        policy.AgingAfter is { } aging && Priority == GatePriority.Background && now - EnqueuedAt >= aging
            ? GatePriority.Foreground
            : Priority;
}

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
    /// <summary>Set when the lease this ticket becomes is for someone else to claim: how long it lasts until claimed.</summary>
    public TimeSpan? ClaimWithin { get; init; }

    /// <summary>
    /// G7: a waiter that stopped polling is dead; it is dropped, never granted. A ticket whose grant is claimed by
    /// someone else (<see cref="ClaimWithin"/>: an orchestration's) does not die with a process and is not polled:
    /// its orchestration withdraws it when its wait budget runs out, and a grant nobody claims lasts the claim window.
    /// </summary>
    public bool IsAliveAt(DateTimeOffset now, GatePolicy policy) => DiesAt(policy) is not { } dies || now < dies;

    /// <summary>When this waiter is dead unless seen again (G7); null for a ticket to be claimed, which never dies for silence.</summary>
    public DateTimeOffset? DiesAt(GatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return ClaimWithin is null ? LastSeen + policy.WaiterTtl : null;
    }

    /// <summary>G8 aging: a background waiter past the aging threshold competes as foreground.</summary>
    public GatePriority EffectivePriorityAt(DateTimeOffset now, GatePolicy policy) =>
        policy.AgingAfter is { } aging && Priority == GatePriority.Background && now - EnqueuedAt >= aging
            ? GatePriority.Foreground
            : Priority;
}

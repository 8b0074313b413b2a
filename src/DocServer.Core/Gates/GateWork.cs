using System.Collections.Immutable;

namespace DocServer.Core.Gates;

/// <summary>
/// A mutable copy of <see cref="GateState"/> for the duration of one operation. It owns the rules
/// every operation shares: expire, drop the dead, grant in dispatch order.
/// </summary>
internal sealed class GateWork
{
    private readonly GatePolicy _policy;
    private readonly List<GateHolder> _holders;
    private readonly List<GateWaiter> _waiters;
    private readonly ImmutableArray<GateEffect>.Builder _effects = ImmutableArray.CreateBuilder<GateEffect>();
    private long _nextSequence;
    private long _nextFencingToken;

    public GateWork(GateState state, GatePolicy policy, DateTimeOffset now)
    {
        _policy = policy;
        Now = now;
        _holders = [.. state.Holders];
        _waiters = [.. state.Waiters];
        _nextSequence = state.NextSequence;
        _nextFencingToken = state.NextFencingToken;
        Counters = state.Counters;
        Health = state.Health;
        MeanHold = state.MeanHold;
    }

    public GateHealthMark? Health { get; set; }

    /// <summary>How long leases are typically held (a moving average of released leases); null until the first release.</summary>
    public TimeSpan? MeanHold { get; private set; }

    public DateTimeOffset Now { get; }

    public GateCounters Counters { get; private set; }

    public IReadOnlyList<GateHolder> Holders => _holders;

    public IReadOnlyList<GateWaiter> Waiters => _waiters;

    public bool HasFreeSlot => _holders.Count < _policy.Capacity;

    public ImmutableArray<GateEffect> Effects => _effects.ToImmutable();

    public GateState ToState() =>
        new([.. _holders], [.. _waiters], _nextSequence, _nextFencingToken, Counters) { Health = Health, MeanHold = MeanHold };

    public GateTransition<T> Finish<T>(T result) => new(ToState(), result, Effects);

    /// <summary>
    /// Runs before every operation, so a crashed holder or a vanished waiter is cleaned up by whoever
    /// touches the gate next, not only by the sweep timer.
    /// </summary>
    public (int Expired, int Dropped, int Granted) Normalize()
    {
        var expired = _holders.RemoveAll(h =>
        {
            if (!h.IsExpiredAt(Now))
            {
                return false;
            }

            _effects.Add(new LeaseExpired(h));
            return true;
        });

        // G7: the dead are removed here, so dispatch below can never pick one.
        var dropped = _waiters.RemoveAll(w =>
        {
            if (w.IsAliveAt(Now, _policy))
            {
                return false;
            }

            _effects.Add(new WaiterDropped(w));
            return true;
        });

        Counters = Counters with { Expiries = Counters.Expiries + expired, DroppedWaiters = Counters.DroppedWaiters + dropped };
        return (expired, dropped, GrantWhileFree());
    }

    /// <summary>Fills free slots from the queue in dispatch order (G4, G5, G8 aging, G11).</summary>
    public int GrantWhileFree()
    {
        var granted = 0;
        while (HasFreeSlot && _waiters.Count > 0)
        {
            var next = _waiters.MinBy(w => DispatchKey(w))!;
            _waiters.Remove(next);
            Grant(next.Id, next.Owner, next.Priority, next.EnqueuedAt, next.Origin, next.ClaimWithin);
            granted++;
        }

        return granted;
    }

    /// <summary>A lease from now; one to be claimed by someone else lasts the claim window until it is (never longer than the TTL).</summary>
    public GateHolder Grant(string id, string owner, GatePriority priority, DateTimeOffset enqueuedAt, DateTimeOffset origin, TimeSpan? claimWithin = null)
    {
        var ttl = claimWithin is { } window && window < _policy.LeaseTtl ? window : _policy.LeaseTtl;
        var lease = new GateHolder(id, owner, priority, _nextFencingToken++, enqueuedAt, Now, Now + ttl, origin);
        _holders.Add(lease);
        Counters = Counters with { Grants = Counters.Grants + 1 };
        var waited = Now - enqueuedAt;
        var starving = priority == GatePriority.Background && waited > GatePolicy.StarvationWarning;
        _effects.Add(new LeaseGranted(lease, waited, _waiters.Count, starving));
        return lease;
    }

    public GateWaiter Enqueue(string id, string owner, GatePriority priority, DateTimeOffset origin, TimeSpan? claimWithin = null)
    {
        var waiter = new GateWaiter(id, owner, priority, _nextSequence++, Now, Now, origin) { ClaimWithin = claimWithin };
        _waiters.Add(waiter);
        return waiter;
    }

    public GateHolder? FindHolder(string id) => _holders.Find(h => h.Id == id);

    public GateWaiter? FindWaiter(string id) => _waiters.Find(w => w.Id == id);

    public void ReplaceHolder(GateHolder old, GateHolder updated) => _holders[_holders.IndexOf(old)] = updated;

    public void ReplaceWaiter(GateWaiter old, GateWaiter updated) => _waiters[_waiters.IndexOf(old)] = updated;

    /// <summary>
    /// Frees a holder's slot. A lease that did its work (<paramref name="used"/>) updates the typical hold,
    /// from which waiters judge when the slot is about to free; one given back unused would skew it to zero.
    /// </summary>
    public void RemoveHolder(GateHolder holder, bool used)
    {
        _holders.Remove(holder);
        Counters = Counters with { Releases = Counters.Releases + 1 };
        var held = Now - holder.GrantedAt;
        if (used)
        {
            MeanHold = MeanHold is { } mean ? (mean * 0.8) + (held * 0.2) : held;
        }

        _effects.Add(new LeaseReleased(holder, held));
    }

    /// <summary>
    /// How soon a slot is expected to free, judged from the typical hold: zero when a holder is already past
    /// it, null when nothing is held or no hold has been seen yet.
    /// </summary>
    public TimeSpan? SlotFreeIn()
    {
        if (MeanHold is not { } mean || _holders.Count == 0)
        {
            return null;
        }

        var soonest = _holders.Min(h => mean - (Now - h.GrantedAt));
        return soonest > TimeSpan.Zero ? soonest : TimeSpan.Zero;
    }

    public void RemoveWaiter(GateWaiter waiter)
    {
        _waiters.Remove(waiter);
        Counters = Counters with { Cancellations = Counters.Cancellations + 1 };
    }

    /// <summary>Where a waiter stands: how many go first, and how many of those only by priority.</summary>
    public (int Position, int AheadByPriority) PositionOf(GateWaiter waiter)
    {
        var key = DispatchKey(waiter);
        var position = 0;
        var byPriority = 0;
        foreach (var other in _waiters)
        {
            var otherKey = DispatchKey(other);
            if (otherKey.CompareTo(key) < 0)
            {
                position++;
                if (otherKey.Rank < key.Rank)
                {
                    byPriority++;
                }
            }
        }

        return (position, byPriority);
    }

    /// <summary>
    /// G4, then G11 within foreground (the request that arrived first, then the call queued first), then G5:
    /// background waiters keep plain first come, first served.
    /// </summary>
    private (int Rank, DateTimeOffset Origin, long Sequence) DispatchKey(GateWaiter w) =>
        w.EffectivePriorityAt(Now, _policy) == GatePriority.Foreground
            ? (0, w.Origin, w.Sequence)
            : (1, DateTimeOffset.MinValue, w.Sequence);
}

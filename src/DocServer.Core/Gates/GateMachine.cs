namespace DocServer.Core.Gates;

/// <summary>
/// The gate's operations as pure functions of (state, now, arguments). The entity store applies them
/// serially (read, apply, write with If-Match), so nothing here needs a lock and everything can be
/// tested without storage or clocks.
/// </summary>
public sealed class GateMachine(GatePolicy policy)
{
    public const int MaxIdLength = 36;
    public const int MaxOwnerLength = 32;

    public GatePolicy Policy { get; } = policy.Validate();

    /// <summary>
    /// Grants at once when a slot is free (the queue is then empty, see Normalize), else queues.
    /// Idempotent per request id: a retry after an ambiguous write finds what the first attempt made.
    /// <paramref name="origin"/> is when the request this call serves arrived (G11); none means now. A
    /// claimed origin in the future is taken as now, so no clock can put a call ahead of the present.
    /// <paramref name="claimWithin"/>: the lease is for someone else to claim (<see cref="Claim"/>), and lasts only
    /// this long (at most the lease TTL) until it is, so a grant whose call never starts frees the gate soon.
    /// </summary>
    public GateTransition<AcquireResult> Acquire(
        GateState state, DateTimeOffset now, string requestId, string owner, GatePriority priority, DateTimeOffset? origin = null, TimeSpan? claimWithin = null)
    {
        if (claimWithin is { } window && window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(claimWithin), claimWithin, "A claim window must be positive.");
        }

        ValidateId(requestId);
        ValidateOwner(owner);
        if (!Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Unknown gate priority.");
        }

        var work = Begin(state, now);
        if (work.FindHolder(requestId) is { } held)
        {
            return work.Finish(new AcquireResult(AcquireOutcome.Granted, held, null, 0));
        }

        if (work.FindWaiter(requestId) is { } queued)
        {
            return work.Finish(new AcquireResult(AcquireOutcome.Queued, null, queued, work.PositionOf(queued).Position));
        }

        if (work.HasFreeSlot)
        {
            var lease = work.Grant(requestId, owner, priority, now, Earliest(origin, now), claimWithin);
            return work.Finish(new AcquireResult(AcquireOutcome.Granted, lease, null, 0));
        }

        if (work.Waiters.Count >= Policy.MaxWaiters)
        {
            return work.Finish(new AcquireResult(AcquireOutcome.QueueFull, null, null, work.Waiters.Count));
        }

        var ticket = work.Enqueue(requestId, owner, priority, Earliest(origin, now), claimWithin);
        return work.Finish(new AcquireResult(AcquireOutcome.Queued, null, ticket, work.PositionOf(ticket).Position));
    }

    /// <summary>
    /// Tells a waiter where it stands or that it was granted. Refreshes "last seen" only when it is
    /// getting stale, so most polls change nothing and cost the store no write.
    /// </summary>
    public GateTransition<PollResult> Poll(GateState state, DateTimeOffset now, string ticketId)
    {
        var work = Begin(state, now);
        if (work.FindHolder(ticketId) is { } lease)
        {
            return work.Finish(new PollResult(PollOutcome.Granted, lease, 0, 0));
        }

        if (work.FindWaiter(ticketId) is not { } waiter)
        {
            return work.Finish(new PollResult(PollOutcome.Gone, null, 0, 0));
        }

        if (now - waiter.LastSeen >= Policy.WaiterRefreshInterval)
        {
            var seen = waiter with { LastSeen = now };
            work.ReplaceWaiter(waiter, seen);
            waiter = seen;
        }

        var (position, byPriority) = work.PositionOf(waiter);
        return work.Finish(new PollResult(PollOutcome.Waiting, null, position, byPriority, work.SlotFreeIn()));
    }

    /// <summary>Extends a live lease. A lease past its expiry is gone for good, even if nobody took the slot yet.</summary>
    public GateTransition<RenewResult> Renew(GateState state, DateTimeOffset now, string leaseId, long fencingToken)
    {
        var work = Begin(state, now);
        if (work.FindHolder(leaseId) is { } lease && lease.FencingToken == fencingToken)
        {
            var renewed = lease with { ExpiresAt = now + Policy.LeaseTtl };
            work.ReplaceHolder(lease, renewed);
            return work.Finish(new RenewResult(RenewOutcome.Renewed, renewed));
        }

        var expiredJustNow = work.Effects.OfType<LeaseExpired>().Any(e => e.Lease.Id == leaseId && e.Lease.FencingToken == fencingToken);
        return work.Finish(new RenewResult(expiredJustNow ? RenewOutcome.Expired : RenewOutcome.NotHolder, null));
    }

    /// <summary>
    /// Takes over a lease granted to someone else for its call (<see cref="GateGrant"/>), renewing it. The first
    /// claimant wins and may claim again (a retried write); any other is refused, so work that runs twice (an
    /// activity re-delivered after a crash) never runs two calls on one lease: the second queues for its own.
    /// </summary>
    public GateTransition<ClaimResult> Claim(GateState state, DateTimeOffset now, string leaseId, long fencingToken, string claimant)
    {
        ValidateId(claimant);
        var work = Begin(state, now);
        if (work.FindHolder(leaseId) is not { } lease || lease.FencingToken != fencingToken)
        {
            return work.Finish(new ClaimResult(ClaimOutcome.NotHolder, null));
        }

        if (lease.ClaimedBy is { } owner && owner != claimant)
        {
            return work.Finish(new ClaimResult(ClaimOutcome.ClaimedByAnother, null));
        }

        var claimed = lease with { ClaimedBy = claimant, ExpiresAt = now + Policy.LeaseTtl };
        work.ReplaceHolder(lease, claimed);
        return work.Finish(new ClaimResult(ClaimOutcome.Claimed, claimed));
    }

    /// <summary>
    /// Frees the slot and hands it to the next live waiter in the same write. A stale lease frees nothing.
    /// G11: with <paramref name="keepPlaceFor"/>, the request has another call to make: a ticket of that id
    /// joins the queue in the same write with the lease's origin and priority, so the dispatch order decides,
    /// with no gap in which a later request's call could slip in while this one prepares its next prompt.
    /// </summary>
    public GateTransition<ReleaseResult> Release(GateState state, DateTimeOffset now, string leaseId, long fencingToken, string? keepPlaceFor = null)
    {
        if (keepPlaceFor is not null)
        {
            ValidateId(keepPlaceFor);
        }

        var work = Begin(state, now);
        if (work.FindHolder(leaseId) is not { } lease || lease.FencingToken != fencingToken)
        {
            return work.Finish(new ReleaseResult(ReleaseOutcome.Stale));
        }

        work.RemoveHolder(lease, used: true);
        if (keepPlaceFor is not null && work.FindHolder(keepPlaceFor) is null && work.FindWaiter(keepPlaceFor) is null)
        {
            work.Enqueue(keepPlaceFor, lease.Owner, lease.Priority, lease.Origin);
        }

        work.GrantWhileFree();
        return work.Finish(new ReleaseResult(ReleaseOutcome.Released, keepPlaceFor is null ? null : work.FindHolder(keepPlaceFor)));
    }

    /// <summary>
    /// Withdraws a ticket. If the grant won the race with the cancel, the lease is given back at once
    /// rather than left to block the gate until it expires.
    /// </summary>
    public GateTransition<CancelResult> Cancel(GateState state, DateTimeOffset now, string ticketId)
    {
        var work = Begin(state, now);
        if (work.FindWaiter(ticketId) is { } waiter)
        {
            work.RemoveWaiter(waiter);
            return work.Finish(new CancelResult(CancelOutcome.Cancelled));
        }

        if (work.FindHolder(ticketId) is { } lease)
        {
            work.RemoveHolder(lease, used: false);
            work.GrantWhileFree();
            return work.Finish(new CancelResult(CancelOutcome.ReleasedGrantedLease));
        }

        return work.Finish(new CancelResult(CancelOutcome.NotFound));
    }

    /// <summary>Expires dead leases, drops dead waiters and grants: what every operation does first, on its own.</summary>
    public GateTransition<SweepResult> Sweep(GateState state, DateTimeOffset now)
    {
        var work = new GateWork(state, Policy, now);
        var (expired, dropped, granted) = work.Normalize();
        return work.Finish(new SweepResult(expired, dropped, granted));
    }

    /// <summary>G13: records the host's health as an instance last saw it (null: up). True when the mark changed.</summary>
    public GateTransition<bool> ReportHealth(GateState state, DateTimeOffset now, GateHealthMark? health)
    {
        var work = Begin(state, now);
        var changed = work.Health is null != health is null || (health is not null && work.Health!.LastError != health.LastError);
        if (changed)
        {
            work.Health = health;
        }

        return work.Finish(changed);
    }

    /// <summary>G9: the gate as it stands at <paramref name="now"/>, computed without writing anything.</summary>
    public GateStatus Status(string gate, GateState state, DateTimeOffset now)
    {
        var work = Begin(state, now);
        var holders = work.Holders
            .Select(h => new GateHolderStatus(h.Owner, h.Priority, h.FencingToken, now - h.GrantedAt, h.ExpiresAt - now))
            .ToList();
        var waiting = work.Waiters;
        return new GateStatus(
            gate,
            Policy.Capacity,
            holders.Count,
            holders,
            waiting.Count(w => w.Priority == GatePriority.Foreground),
            waiting.Count(w => w.Priority != GatePriority.Foreground),
            waiting.Count == 0 ? null : now - waiting.Min(w => w.EnqueuedAt),
            waiting.Count(w => w.Priority == GatePriority.Background && now - w.EnqueuedAt > GatePolicy.StarvationWarning),
            work.Counters,
            work.Health);
    }

    private GateWork Begin(GateState state, DateTimeOffset now)
    {
        var work = new GateWork(state, Policy, now);
        work.Normalize();
        return work;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? origin, DateTimeOffset now) => origin is { } o && o < now ? o : now;

    private static void ValidateId(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"A gate request id must be 1-{MaxIdLength} ASCII letters, digits or '-'; got '{id}'.", nameof(id));
        }
    }

    private static void ValidateOwner(string owner)
    {
        if (string.IsNullOrWhiteSpace(owner) || owner.Length > MaxOwnerLength || owner.Any(char.IsControl))
        {
            throw new ArgumentException($"A gate owner must be 1-{MaxOwnerLength} printable characters; got '{owner}'.", nameof(owner));
        }
    }
}

namespace DocServer.Core.Gates;

/// <summary>
/// One acquisition across the gates of a pool (G12): a ticket on each gate, under one id, queued in the
/// pool's order; the first grant is taken and every other ticket withdrawn, where a withdrawal that lost
/// to a grant gives that lease back at once. A pool of one is a plain acquisition.
/// </summary>
internal sealed class PoolAcquisition
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(10);

    private readonly GateClient _client;
    private readonly GatePriority _priority;
    private readonly GateRequest? _request;
    private readonly string _id;
    private readonly long _started;
    private readonly List<PoolTicket> _tickets = [];
    private int _poolSize = 1;

    public PoolAcquisition(GateClient client, GatePriority priority, GateRequest? request)
    {
        _client = client;
        _priority = priority;
        _request = request;
        _id = request?.NextTicketId ?? Guid.NewGuid().ToString("N");
        _started = client.Time.GetTimestamp();
    }

    private TimeSpan Elapsed => _client.Time.GetElapsedTime(_started);

    public async Task<GateAcquisition> RunAsync(IReadOnlyList<string> pool, TimeSpan waitBudget, CancellationToken cancellationToken)
    {
        // A place kept by the request's previous call is tried first: if it was granted, nothing else is queued.
        var gates = pool.OrderBy(g => g == _request?.KeptGate ? 0 : 1).ToList();
        _poolSize = pool.Count;
        try
        {
            // A lease granted elsewhere for this call (an orchestration's turn): claimed, or else queue as usual.
            if (_request?.TakeGrant() is { } grant && pool.Contains(grant.Gate))
            {
                var claimed = await _client.ApplyAsync(grant.Gate, new ClaimCommand(grant.LeaseId, grant.FencingToken, _id), cancellationToken).ConfigureAwait(false);
                if (claimed.Result.Lease is { } lease)
                {
                    return await GrantedAsync(grant.Gate, lease, claimed.QueueLength, pool.Count, cancellationToken).ConfigureAwait(false);
                }

                GateLog.GrantNotClaimed(_client.Logger, grant.Gate, grant.FencingToken, claimed.Result.Outcome);
            }

            // A place kept by the request's previous call and granted in the same write: nothing to ask the store.
            if (_request is { KeptGrant: { } ready, KeptGate: { } readyGate } && pool.Contains(readyGate) && ready.ExpiresAt > _client.Time.GetUtcNow())
            {
                return await GrantedAsync(readyGate, ready, 0, pool.Count, cancellationToken).ConfigureAwait(false);
            }

            // A place kept on a gate this call does not wait on (its host failed the last call) is given back first.
            if (_request?.KeptGate is { } kept && !pool.Contains(kept))
            {
                _tickets.Add(new PoolTicket(kept, Task.FromCanceled<LeaseGranted>(new CancellationToken(true))));
                await WithdrawAsync(null, cancellationToken).ConfigureAwait(false);
            }

            foreach (var gate in gates)
            {
                var signal = _client.Signals.Register(gate, _id);
                var acquired = await AcquireAsync(gate, cancellationToken).ConfigureAwait(false);
                switch (acquired.Result.Outcome)
                {
                    case AcquireOutcome.Granted:
                        return await GrantedAsync(gate, acquired.Result.Lease!, acquired.QueueLength, pool.Count, cancellationToken).ConfigureAwait(false);
                    case AcquireOutcome.Queued:
                        GateLog.Enqueued(_client.Logger, gate, _priority, acquired.Result.Position);
                        _tickets.Add(new PoolTicket(gate, signal) { Position = acquired.Result.Position, Due = _client.NextPollInterval(acquired.Result.Position / pool.Count, 0, null) });
                        break;
                    default:
                        break;
                }
            }

            if (_tickets.Count == 0)
            {
                return new GateAcquisition(GateAcquisitionOutcome.QueueFull, null, Elapsed);
            }

            Report();
            return await WaitAsync(waitBudget, pool.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The caller gave up, or storage failed: withdraw every ticket so none is granted to nobody.
            using var cleanup = new CancellationTokenSource(CleanupTimeout, _client.Time);
            await WithdrawAsync(null, cleanup.Token).ConfigureAwait(false);
            throw;
        }
        finally
        {
            foreach (var gate in gates)
            {
                _client.Signals.Unregister(gate, _id);
            }
        }
    }

    private async Task<GateAcquisition> WaitAsync(TimeSpan waitBudget, int poolSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = waitBudget - Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                await WithdrawAsync(null, cancellationToken).ConfigureAwait(false);
                foreach (var ticket in _tickets)
                {
                    GateLog.WaitBudgetExceeded(_client.Logger, ticket.Gate, _priority, Elapsed.TotalMilliseconds, ticket.Position);
                }

                return new GateAcquisition(GateAcquisitionOutcome.WaitBudgetExceeded, null, Elapsed);
            }

            var delay = _tickets.Min(t => t.Due) - Elapsed;
            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay < remaining ? delay : remaining;
            if (await WakeOrDelayAsync(delay, cancellationToken).ConfigureAwait(false) is { } woken)
            {
                return await GrantedAsync(woken.Gate, woken.Granted.Lease, woken.Granted.QueueLength, poolSize, cancellationToken).ConfigureAwait(false);
            }

            var now = Elapsed;
            var before = (Best().Gate, Best().Position);
            var polled = await Task.WhenAll(_tickets.Where(t => t.Due <= now).Select(t => PollAsync(t, cancellationToken))).ConfigureAwait(false);
            if (polled.FirstOrDefault(p => p is not null) is { } granted)
            {
                return await GrantedAsync(granted.Gate, granted.Lease, granted.QueueLength, poolSize, cancellationToken).ConfigureAwait(false);
            }

            if ((Best().Gate, Best().Position) != before)
            {
                Report();
            }
        }
    }

    /// <summary>Polls one ticket: its grant, or its new place and next poll time.</summary>
    private async Task<(string Gate, GateHolder Lease, int QueueLength)?> PollAsync(PoolTicket ticket, CancellationToken cancellationToken)
    {
        var poll = await _client.PollAsync(ticket.Gate, _id, cancellationToken).ConfigureAwait(false);
        switch (poll.Result.Outcome)
        {
            case PollOutcome.Granted:
                return (ticket.Gate, poll.Result.Lease!, poll.QueueLength);
            case PollOutcome.Waiting:
                // In a pool of n, the first n in line are all about to be served by one gate or another.
                ticket.Position = poll.Result.Position;
                ticket.AheadByPriority = poll.Result.AheadByPriority;
                ticket.Due = Elapsed + _client.NextPollInterval(ticket.Position / _poolSize, ++ticket.Polls, poll.Result.SlotFreeIn);
                return null;
            default:
                // Only if our polls failed for a whole waiter TTL (a storage outage, a long pause): the
                // ticket was dropped as dead (G7). Queue again rather than fail the caller.
                GateLog.TicketVanished(_client.Logger, ticket.Gate, Elapsed.TotalMilliseconds);
                var again = await AcquireAsync(ticket.Gate, cancellationToken).ConfigureAwait(false);
                if (again.Result.Outcome == AcquireOutcome.Granted)
                {
                    return (ticket.Gate, again.Result.Lease!, again.QueueLength);
                }

                ticket.Position = again.Result.Position;
                ticket.Due = Elapsed + _client.NextPollInterval(ticket.Position / _poolSize, ++ticket.Polls, null);
                return null;
        }
    }

    /// <summary>
    /// Queues on one gate (or is granted at once). An answer that did not come (the store timed out, the caller left)
    /// does not mean the gate did not apply it: a late grant would sit unrenewed for a lease TTL, every waiter behind
    /// it (G6). So a cancel of this ticket follows the acquire: it withdraws a late ticket or gives back a late grant.
    /// </summary>
    private async Task<GateApplied<AcquireResult>> AcquireAsync(string gate, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ApplyAsync(gate, new AcquireCommand(_id, _client.Options.Owner, _priority, _request?.Origin), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or GateUnavailableException)
        {
            // Whatever failed: a signal whose request timed out may still have been taken by storage, and the caller
            // cannot tell it from one that never arrived (CI: asks that had fallen back were granted, and each grant held
            // the gate for a lease TTL). When storage is down, the cancel fails as well and says so in the log. Not
            // awaited: the caller falls back now; the cancel has its own deadline.
            _ = _client.SendAfterLeavingAsync(gate, new CancelCommand(_id));
            throw;
        }
    }

    /// <summary>The ticket nearest the front, which is what the request's place is.</summary>
    private PoolTicket Best() => _tickets.MinBy(t => t.Position)!;

    private void Report()
    {
        if (_request?.OnWaiting is { } onWaiting)
        {
            var best = Best();
            onWaiting(new GateWaitUpdate(best.Gate, best.Position, best.AheadByPriority, Elapsed));
        }
    }

    private async Task<GateAcquisition> GrantedAsync(string gate, GateHolder holder, int queueLength, int poolSize, CancellationToken cancellationToken)
    {
        var withdrawn = await WithdrawAsync(gate, cancellationToken).ConfigureAwait(false);
        if (poolSize > 1)
        {
            GateLog.PoolGranted(_client.Logger, gate, poolSize, withdrawn);
        }

        _request?.Granted();
        return _client.Granted(gate, holder, _started, queueLength, _request);
    }

    /// <summary>
    /// G12: takes back the tickets on every gate but <paramref name="kept"/> (all of them when null). A
    /// ticket that was granted meanwhile is given back in the same write. A failure is logged and left
    /// to the gate: an unpolled ticket is dropped after the waiter TTL (G7), an unrenewed lease expires.
    /// </summary>
    private async Task<int> WithdrawAsync(string? kept, CancellationToken cancellationToken)
    {
        var siblings = _tickets.Where(t => t.Gate != kept).ToList();
        _tickets.RemoveAll(siblings.Contains);
        await Task.WhenAll(siblings.Select(async ticket =>
        {
            try
            {
                await _client.ApplyAsync(ticket.Gate, new CancelCommand(_id), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is GateUnavailableException or OperationCanceledException)
            {
                GateLog.WithdrawFailed(_client.Logger, ex, ticket.Gate);
            }
        })).ConfigureAwait(false);
        return siblings.Count;
    }

    private async Task<(string Gate, LeaseGranted Granted)?> WakeOrDelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (!_tickets.Any(t => t.Signal.IsCompleted))
        {
            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(_tickets.Select(t => (Task)t.Signal).Append(Task.Delay(delay, _client.Time, stopDelay.Token))).ConfigureAwait(false);
            await stopDelay.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return _tickets.FirstOrDefault(t => t.Signal.IsCompletedSuccessfully) is { } woken ? (woken.Gate, woken.Signal.Result) : null;
    }

    /// <summary>This acquisition's ticket on one gate of the pool.</summary>
    private sealed class PoolTicket(string gate, Task<LeaseGranted> signal)
    {
        public string Gate { get; } = gate;

        public Task<LeaseGranted> Signal { get; } = signal;

        public int Position { get; set; }

        public int AheadByPriority { get; set; }

        public int Polls { get; set; }

        /// <summary>When the next poll is due, as time since the acquisition started.</summary>
        public TimeSpan Due { get; set; }
    }
}

using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace DocServer.Core.Gates;

/// <summary>
/// What callers use to pass a gate: acquire (waiting by polling, with an in-process fast path), run a
/// call inside a lease (G2), read status (G9), sweep. All state lives in the entity store, so every
/// instance of the app that shares the store (the Durable entity of each gate) shares the gate.
/// </summary>
public sealed class GateClient
{
    /// <summary>How long a command sent after its caller left may take: a signal, a few storage requests.</summary>
    private static readonly TimeSpan LeavingTimeout = TimeSpan.FromSeconds(5);

    private readonly IGateStore _store;
    private readonly ILogger _logger;

    public GateClient(
        IGateStore store, GateCatalog catalog, TimeProvider time, ILogger<GateClient> logger, GateClientOptions? options = null, PipelineMetrics? metrics = null)
    {
        Metrics = metrics;
        _store = store;
        Catalog = catalog;
        Time = time;
        _logger = logger;
        Options = options ?? new GateClientOptions();
    }

    public GateCatalog Catalog { get; }

    public GateClientOptions Options { get; }

    /// <summary>Where waits, holds, queue lengths and model calls are measured; null when nothing listens.</summary>
    public PipelineMetrics? Metrics { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger => _logger;

    /// <summary>The in-process fast path: a grant made by this process wakes a waiter of this process at once.</summary>
    internal GateWaitSignals Signals { get; } = new();

    /// <summary>
    /// Waits for a lease for at most <paramref name="waitBudget"/>. Running out of budget cancels the
    /// ticket and is reported as an outcome, not thrown: the caller has a fallback (E17).
    /// </summary>
    public Task<GateAcquisition> AcquireAsync(string gate, GatePriority priority, TimeSpan waitBudget, CancellationToken cancellationToken) =>
        AcquireAsync([gate], priority, waitBudget, null, cancellationToken);

    /// <summary>
    /// G12: waits for the first lease of any gate of <paramref name="pool"/> (endpoints serving the same
    /// model), holding at most one: the tickets on the other gates are withdrawn. G11: the calls of one
    /// <paramref name="request"/> are served in the order of its arrival, and a place it kept is used first.
    /// </summary>
    public async Task<GateAcquisition> AcquireAsync(IReadOnlyList<string> pool, GatePriority priority, TimeSpan waitBudget, GateRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Count == 0 || pool.Distinct(StringComparer.Ordinal).Count() != pool.Count)
        {
            throw new ArgumentException("A pool names one or more distinct gates.", nameof(pool));
        }

        foreach (var gate in pool)
        {
            Catalog.Machine(gate);
        }

        // The wait is a span of its own (the ask's trace shows where its time went) and a measurement by outcome.
        using var activity = PipelineTelemetry.Source.StartActivity("gate wait");
        activity?.SetTag(PipelineTags.Gate, string.Join(',', pool));
        activity?.SetTag(PipelineTags.Priority, PipelineMetrics.Name(priority));
        var started = Time.GetTimestamp();
        try
        {
            var acquisition = await new PoolAcquisition(this, priority, request).RunAsync(pool, waitBudget, cancellationToken).ConfigureAwait(false);
            var outcome = acquisition.Outcome switch
            {
                GateAcquisitionOutcome.Granted => "granted",
                GateAcquisitionOutcome.QueueFull => "queue_full",
                _ => "wait_budget_exceeded",
            };
            var granted = acquisition.Lease?.Gate ?? string.Join(',', pool);
            activity?.SetTag(PipelineTags.Gate, granted);
            activity?.SetTag(PipelineTags.WaitOutcome, outcome);
            Metrics?.GateWaited(granted, priority, outcome, acquisition.Waited);
            return acquisition;
        }
        catch (Exception ex) when (ex is OperationCanceledException or GateUnavailableException)
        {
            var outcome = ex is GateUnavailableException ? "gate_unavailable" : "cancelled";
            activity?.SetTag(PipelineTags.WaitOutcome, outcome);
            if (ex is GateUnavailableException)
            {
                activity.Fail(outcome, ex.Message);
            }

            Metrics?.GateWaited(string.Join(',', pool), priority, outcome, Time.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>G9: reads the gate and computes the view; never writes, so status pages cannot slow the gate.</summary>
    public async Task<GateStatus> GetStatusAsync(string gate, CancellationToken cancellationToken)
    {
        var machine = Catalog.Machine(gate);
        return machine.Status(gate, await ReadAsync(gate, cancellationToken).ConfigureAwait(false), Time.GetUtcNow());
    }

    /// <summary>G13: writes the host's health, as this instance sees it, into the gate row (null: up). True when it changed.</summary>
    public async Task<bool> ReportHealthAsync(string gate, GateHealthMark? health, CancellationToken cancellationToken) =>
        (await ApplyAsync(gate, new ReportHealthCommand(health), cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>Expires dead leases and waiters and grants on every configured gate (the sweep timer).</summary>
    public async Task<IReadOnlyDictionary<string, SweepResult>> SweepAllAsync(CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, SweepResult>(StringComparer.Ordinal);
        foreach (var gate in Catalog.GateNames)
        {
            results[gate] = (await ApplyAsync(gate, new SweepCommand(), cancellationToken).ConfigureAwait(false)).Result;
        }

        return results;
    }

    /// <summary>
    /// The one way a gate changes: the command is applied where the gate lives, one at a time; the
    /// effects seen there (the in-memory twin reports them) are then acted on.
    /// </summary>
    internal async Task<GateApplied<T>> ApplyAsync<T>(string gate, GateCommand<T> command, CancellationToken cancellationToken)
    {
        Catalog.Machine(gate);
        GateStoreReply<T> reply;
        try
        {
            reply = await _store.ApplyAsync(gate, command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new GateUnavailableException(gate, ex, storeUnreachable: true);
        }

        Observe(gate, reply.Effects);
        Metrics?.GateSeen(gate, reply.State);
        return new GateApplied<T>(reply.Result, reply.State.Waiters.Length);
    }

    /// <summary>
    /// Sends a command whose answer nobody waits for, after a caller stopped waiting for another (best effort, with
    /// its own short deadline: the caller has gone). A failure is logged; the gate's TTLs clean up instead (G6, G7).
    /// </summary>
    internal async Task SendAfterLeavingAsync(string gate, GateCommand command)
    {
        using var timeout = new CancellationTokenSource(LeavingTimeout, Time);
        try
        {
            await _store.SendAsync(gate, command, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsStoreFailure(ex, timeout.Token))
        {
            GateLog.CancelAfterLeavingFailed(Logger, gate, command.Subject ?? "-", ex.Message);
        }
    }

    /// <summary>
    /// A waiter's poll answered from a read, so waiting costs the gate no operations: granted only when the
    /// stored state holds the lease. When the gate would change for it (a stale "last seen" to refresh, a
    /// lease that ran out and is ours next), a poll is sent on and not awaited; the next read shows it.
    /// </summary>
    internal async Task<GateApplied<PollResult>> PollAsync(string gate, string ticketId, CancellationToken cancellationToken)
    {
        var machine = Catalog.Machine(gate);
        var stored = await ReadAsync(gate, cancellationToken).ConfigureAwait(false);
        if (stored.Holders.FirstOrDefault(h => h.Id == ticketId) is { } held && !held.IsExpiredAt(Time.GetUtcNow()))
        {
            return new GateApplied<PollResult>(new PollResult(PollOutcome.Granted, held, 0, 0), stored.Waiters.Length);
        }

        var local = machine.Poll(stored, Time.GetUtcNow(), ticketId);
        var result = local.Result;
        if (result.Outcome == PollOutcome.Granted)
        {
            // Granted only in this reading of the clock: the gate has not made it so yet.
            result = new PollResult(PollOutcome.Waiting, null, 0, 0, TimeSpan.Zero);
        }

        // The poll changed the gate only if it expired, dropped or granted something (each an effect) or refreshed
        // this waiter's "last seen".
        if (result.Outcome != PollOutcome.Gone && (!local.Effects.IsEmpty || local.State.Waiters.FirstOrDefault(w => w.Id == ticketId) != stored.Waiters.FirstOrDefault(w => w.Id == ticketId)))
        {
            try
            {
                await _store.SendAsync(gate, new PollCommand(ticketId), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
            {
                throw new GateUnavailableException(gate, ex, storeUnreachable: true);
            }
        }

        return new GateApplied<PollResult>(result, stored.Waiters.Length);
    }

    private async Task<GateState> ReadAsync(string gate, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.ReadAsync(gate, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new GateUnavailableException(gate, ex, storeUnreachable: true);
        }
    }

    /// <summary>
    /// A failure of the store itself (unreachable, timed out, throttled), as opposed to a row we cannot read,
    /// contention, or the caller giving up: those keep their own exceptions.
    /// </summary>
    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        GateStateException or UnknownGateException or OutOfMemoryException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => true,
    };

    /// <summary>
    /// Short and growing, and the next in line never slower than <see cref="GateClientOptions.FrontPollMax"/>:
    /// fast handoff for the one who is about to be served, little read load from the rest. The next in
    /// line with a hold that is about to end (<paramref name="slotFreeIn"/>, from the gate's typical hold)
    /// polls at about one storage round trip (<see cref="GateClientOptions.HeadPoll"/>), halving its
    /// interval as the end nears and backing off again when the holder runs long.
    /// </summary>
    internal TimeSpan NextPollInterval(int position, int polls, TimeSpan? slotFreeIn)
    {
        if (position == 0 && slotFreeIn is { } freeIn)
        {
            var interval = freeIn > TimeSpan.Zero ? freeIn / 2 : Options.HeadPoll + (-freeIn / 20);
            return interval < Options.HeadPoll ? Options.HeadPoll : interval > Options.FrontPollMax ? Options.FrontPollMax : interval;
        }

        var grown = Options.FirstPoll * Math.Pow(1.5, Math.Min(polls, 30));
        var cap = position == 0 ? Options.FrontPollMax : Options.FrontPollMax * (1 + position);
        if (cap > Options.PollMax)
        {
            cap = Options.PollMax;
        }

        return grown < cap ? grown : cap;
    }

    internal GateAcquisition Granted(string gate, GateHolder holder, long started, int queueLength, GateRequest? request)
    {
        var waited = Time.GetElapsedTime(started);
        GateLog.Dispatched(_logger, gate, holder.Priority, waited.TotalMilliseconds, queueLength, holder.FencingToken);
        if (holder.Priority == GatePriority.Background && waited > GatePolicy.StarvationWarning)
        {
            GateLog.Starving(_logger, gate, holder.Priority, waited.TotalMilliseconds, queueLength);
        }

        var lease = new GateLease(this, gate, holder, waited, request);
        lease.StartRenewing();
        return new GateAcquisition(GateAcquisitionOutcome.Granted, lease, waited);
    }

    private void Observe(string gate, IEnumerable<GateEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case LeaseGranted granted:
                    Signals.Granted(gate, granted);
                    break;
                case LeaseExpired expired:
                    GateLog.LeaseExpired(_logger, gate, expired.Lease.Owner, expired.Lease.FencingToken);
                    break;
                case WaiterDropped dropped:
                    GateLog.WaiterDropped(_logger, gate, dropped.Waiter.Owner, (Time.GetUtcNow() - dropped.Waiter.EnqueuedAt).TotalMilliseconds);
                    break;
                default:
                    break;
            }
        }
    }
}

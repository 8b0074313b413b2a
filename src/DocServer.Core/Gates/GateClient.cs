using DocServer.Core.Entities;
using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace DocServer.Core.Gates;

/// <summary>
/// What callers use to pass a gate: acquire (waiting by polling, with an in-process fast path), run a
/// call inside a lease (G2), read status (G9), sweep. All state lives in the entity store, so every
/// instance of the app that shares the store shares the gate.
/// </summary>
public sealed class GateClient
{
    internal const string EntityKind = "gate";
    private static readonly string EmptyStateJson = GateStateJson.Serialize(GateState.Empty);

    private readonly IEntityStore _store;
    private readonly ILogger _logger;

    public GateClient(
        IEntityStore store, GateCatalog catalog, TimeProvider time, ILogger<GateClient> logger, GateClientOptions? options = null, IEndpointHealth? health = null, PipelineMetrics? metrics = null)
    {
        Metrics = metrics;
        _store = store;
        Catalog = catalog;
        Time = time;
        _logger = logger;
        Options = options ?? new GateClientOptions();
        Health = health;
    }

    public GateCatalog Catalog { get; }

    /// <summary>G13: which endpoints this instance knows to be down; null when nothing tracks it (every endpoint is up).</summary>
    public IEndpointHealth? Health { get; }

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

    /// <summary>G9: reads the row and computes the view; never writes, so status pages cannot slow the gate.</summary>
    public async Task<GateStatus> GetStatusAsync(string gate, CancellationToken cancellationToken)
    {
        var machine = Catalog.Machine(gate);
        string? json;
        try
        {
            json = await _store.ReadAsync(new EntityKey(EntityKind, gate), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new GateUnavailableException(gate, ex, storeUnreachable: true);
        }

        return machine.Status(gate, GateStateJson.Deserialize(json, gate), Time.GetUtcNow());
    }

    /// <summary>G13: writes the host's health, as this instance sees it, into the gate row (null: up). True when it changed.</summary>
    public async Task<bool> ReportHealthAsync(string gate, GateHealthMark? health, CancellationToken cancellationToken) =>
        (await ApplyAsync(gate, (m, s, now) => m.ReportHealth(s, now, health), cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>Expires dead leases and waiters and grants on every configured gate (the sweep timer).</summary>
    public async Task<IReadOnlyDictionary<string, SweepResult>> SweepAllAsync(CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, SweepResult>(StringComparer.Ordinal);
        foreach (var gate in Catalog.GateNames)
        {
            results[gate] = (await ApplyAsync(gate, (m, s, now) => m.Sweep(s, now), cancellationToken).ConfigureAwait(false)).Result;
        }

        return results;
    }

    /// <summary>
    /// The one way the gate's row changes: the operation runs on the stored state (possibly several
    /// times, on conflicts); the effects of the run that was committed are then acted on.
    /// </summary>
    internal async Task<GateApplied<T>> ApplyAsync<T>(string gate, Func<GateMachine, GateState, DateTimeOffset, GateTransition<T>> operation, CancellationToken cancellationToken)
    {
        var machine = Catalog.Machine(gate);
        GateTransition<T>? committed = null;
        EntityUpdate<T> update;
        try
        {
            update = await _store.UpdateAsync(
                new EntityKey(EntityKind, gate),
                current =>
                {
                    var transition = operation(machine, GateStateJson.Deserialize(current, gate), Time.GetUtcNow());
                    committed = transition;
                    var json = GateStateJson.Serialize(transition.State);
                    return new EntityChange<T>(transition.Result, json == (current ?? EmptyStateJson) ? null : json);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw new GateUnavailableException(gate, ex, storeUnreachable: true);
        }

        Observe(gate, committed!.Effects);
        Metrics?.GateSeen(gate, committed.State);
        return new GateApplied<T>(update.Result, committed.State.Waiters.Length);
    }

    /// <summary>
    /// A failure of the store itself (unreachable, timed out, throttled), as opposed to a row we cannot read,
    /// contention, or the caller giving up: those keep their own exceptions.
    /// </summary>
    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        GateStateException or EntityRowException or EntityConflictException or UnknownGateException or OutOfMemoryException => false,
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

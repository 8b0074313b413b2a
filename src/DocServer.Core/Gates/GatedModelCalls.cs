using DocServer.Core.Llm;
using DocServer.Core.Telemetry;

namespace DocServer.Core.Gates;

/// <summary>
/// The one wrapper for a model call, run the way every MLX call must be: inside the endpoint's gate lease (G1),
/// its timeout counted from the grant (G2), abandoned if the lease is lost; or at once for an endpoint configured
/// as ungated (G10). It owns the acquire–call–release step and sorts what the call came to (an outcome or an
/// exception) into a <see cref="ModelCallFailure"/>, so evidence, synthesis and summaries each only name theirs.
/// </summary>
public sealed class GatedModelCalls(GateClient gates, TimeProvider time, IEndpointHealth? health = null, PipelineMetrics? metrics = null)
{
    /// <summary>How long an abandoned call may take to end before its lease is given back anyway (see <see cref="EndedAsync"/>).</summary>
    public static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(2);

    /// <summary>G13: which endpoints this instance knows to be down; null when nothing tracks it (every endpoint is up).</summary>
    public IEndpointHealth? Health => health;

    /// <summary>
    /// G1: asks a model of <paramref name="models"/> through the gate named after its endpoint, the first of the
    /// pool to grant. When none can serve in time (the budget ran out, the queue is full, every host is down), the
    /// pool's overflow endpoint answers if one is configured (G10: it needs no gate). <paramref name="place"/> is
    /// the user request this call is part of: it keeps that request's place in the queue across its calls (G11).
    /// Each call made is one <c>chat {model}</c> span and one measurement (<see cref="PipelineMetrics"/>). Only the
    /// caller's own cancellation throws; every other end is a <see cref="GatedModelCall"/>.
    /// </summary>
    public Task<GatedModelCall> CompleteAsync(
        ModelPool models, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, LanguageModelRequest prompt, GateRequest? place, CancellationToken cancellationToken) =>
        CompleteAsync(models, priority, waitBudget, callTimeout, prompt, place, null, cancellationToken);

    /// <summary>
    /// A call whose result is kept once however often the work asking for it runs (<see cref="KeepOnce"/>): inside the
    /// lease it looks for the result first (<see cref="ModelCallFailure.AlreadyKept"/> when found) and keeps the reply
    /// before the lease is given back.
    /// </summary>
    public Task<GatedModelCall> CompleteOnceAsync(
        ModelPool models, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, LanguageModelRequest prompt, GateRequest? place, KeepOnce once, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(once);
        return CompleteAsync(models, priority, waitBudget, callTimeout, prompt, place, once, cancellationToken);
    }

    private async Task<GatedModelCall> CompleteAsync(
        ModelPool models, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, LanguageModelRequest prompt, GateRequest? place, KeepOnce? once, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(prompt);
        var started = time.GetTimestamp();
        try
        {
            var result = await RunOnPoolAsync(
                models.Endpoints,
                priority,
                waitBudget,
                place,
                (endpoint, lease, waited, token) => KeptCallAsync(models[endpoint], prompt, callTimeout, lease, waited, once, token),
                cancellationToken).ConfigureAwait(false);
            if (models.Overflow is { } overflow && result.Outcome is GateCallOutcome.WaitBudgetExceeded or GateCallOutcome.QueueFull or GateCallOutcome.EndpointDown)
            {
                result = await KeptCallAsync(overflow, prompt, callTimeout, null, result.Waited, once, cancellationToken).ConfigureAwait(false);
            }

            return Sorted(result, models);
        }
        catch (GateUnavailableException ex)
        {
            return new GatedModelCall(ModelCallFailure.GateUnavailable, null, TimeSpan.Zero, TimeSpan.Zero, null, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new GatedModelCall(ModelCallFailure.Failed, null, TimeSpan.Zero, time.GetElapsedTime(started), null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>The pool's loop: a lease on the first gate to grant, one attempt inside it, and the next live member if that host failed.</summary>
    internal async Task<GateCallResult<T>> RunOnPoolAsync<T>(
        IReadOnlyList<string> pool,
        GatePriority priority,
        TimeSpan waitBudget,
        GateRequest? place,
        Func<string, GateLease?, TimeSpan, CancellationToken, Task<GateCallResult<T>>> attempt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(attempt);
        if (pool is [var single] && !gates.Catalog.IsGated(single))
        {
            return await attempt(single, null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        if (pool.FirstOrDefault(e => !gates.Catalog.IsGated(e)) is { } ungated)
        {
            throw new ArgumentException($"Endpoint '{ungated}' needs no gate (G10); a pool of several endpoints must be all gated.", nameof(pool));
        }

        // G13: nobody queues for a host known to be down; waiting would only end in a timeout. G12: a host that
        // fails the call (refused, 5xx, found down) is left to the pool's others while the wait budget lasts.
        var failed = new List<string>();
        var waited = TimeSpan.Zero;
        GateCallResult<T>? lastFailure = null;
        while (true)
        {
            var live = pool.Where(e => !failed.Contains(e) && health?.IsDown(e) != true).ToList();
            if (live.Count == 0)
            {
                return lastFailure ?? new GateCallResult<T>(GateCallOutcome.EndpointDown, default, waited, TimeSpan.Zero);
            }

            var acquisition = await gates.AcquireAsync(live, priority, waitBudget - waited, place, cancellationToken).ConfigureAwait(false);
            waited += acquisition.Waited;
            if (acquisition.Lease is not { } lease)
            {
                var outcome = acquisition.Outcome == GateAcquisitionOutcome.QueueFull ? GateCallOutcome.QueueFull : GateCallOutcome.WaitBudgetExceeded;
                return lastFailure ?? new GateCallResult<T>(outcome, default, waited, TimeSpan.Zero);
            }

            GateCallResult<T> result;
            await using (lease.ConfigureAwait(false))
            {
                // The host may have gone down while this caller waited: give the slot back at once.
                result = health?.IsDown(lease.Gate) == true
                    ? new GateCallResult<T>(GateCallOutcome.EndpointDown, default, waited, TimeSpan.Zero) { Endpoint = lease.Gate }
                    : await attempt(lease.Gate, lease, waited, cancellationToken).ConfigureAwait(false);
            }

            if (result.Outcome is not (GateCallOutcome.HostFailed or GateCallOutcome.EndpointDown) || failed.Count + 1 >= pool.Count || waited >= waitBudget)
            {
                return result;
            }

            failed.Add(lease.Gate);
            lastFailure = result;
        }
    }

    /// <summary>One call inside its lease (or none, ungated): its deadline counted from the grant, cut short if the lease is lost.</summary>
    internal async Task<GateCallResult<T>> TimedCallAsync<T>(
        string endpoint, Func<CancellationToken, Task<T>> call, TimeSpan callTimeout, GateLease? lease, TimeSpan waited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var leaseLost = lease?.LostToken ?? CancellationToken.None;
        using var timeout = new CancellationTokenSource(callTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, leaseLost);
        var started = time.GetTimestamp();
        Task<T>? running = null;
        try
        {
            // WaitAsync: a call that ignores its token is still abandoned on time.
            running = call(linked.Token);
            var value = await running.WaitAsync(linked.Token).ConfigureAwait(false);
            return new GateCallResult<T>(GateCallOutcome.Completed, value, waited, time.GetElapsedTime(started)) { Endpoint = endpoint };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && linked.IsCancellationRequested)
        {
            var outcome = leaseLost.IsCancellationRequested ? GateCallOutcome.LeaseLost : GateCallOutcome.TimedOut;
            return new GateCallResult<T>(outcome, default, waited, time.GetElapsedTime(started)) { Endpoint = endpoint };
        }
        catch (ModelStalledException)
        {
            return new GateCallResult<T>(GateCallOutcome.Stalled, default, waited, time.GetElapsedTime(started)) { Endpoint = endpoint };
        }
        catch (Exception ex) when (health?.IsHostFailure(ex) == true)
        {
            return new GateCallResult<T>(GateCallOutcome.HostFailed, default, waited, time.GetElapsedTime(started)) { Endpoint = endpoint };
        }
        finally
        {
            if (running is { IsCompleted: false })
            {
                await EndedAsync(running).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// G1: an abandoned call (timed out, its lease lost, its caller gone) keeps its lease until the call has ended,
    /// its connection closed: the host learns of the close a moment later, and a lease given back at the cancel let
    /// the next holder's call find it still at the last reply. A call that ignores its token is waited for at most
    /// <see cref="AbandonGrace"/>. How the abandoned call ended (its cancellation, mostly) is already in the outcome.
    /// </summary>
    private async Task EndedAsync(Task running)
    {
        // How it ends (its cancellation, or a timeout of the grace) is not this wait's to throw.
        await running.WaitAsync(AbandonGrace, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Observed here, so a failure it ends with after the grace is not reported as an unobserved task exception.
        _ = running.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One call inside its lease, with what <paramref name="once"/> does there before and after it.</summary>
    private async Task<GateCallResult<string>> KeptCallAsync(
        ILanguageModel model, LanguageModelRequest prompt, TimeSpan callTimeout, GateLease? lease, TimeSpan waited, KeepOnce? once, CancellationToken cancellationToken)
    {
        if (once is not null && await once.IsKeptAsync(cancellationToken).ConfigureAwait(false))
        {
            return new GateCallResult<string>(GateCallOutcome.AlreadyKept, null, waited, TimeSpan.Zero) { Endpoint = model.Endpoint };
        }

        var result = await ModelCallAsync(model, prompt, callTimeout, lease, waited, cancellationToken).ConfigureAwait(false);
        if (once is not null && result.Outcome == GateCallOutcome.Completed)
        {
            await once.KeepAsync(result.Value ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<GateCallResult<string>> ModelCallAsync(
        ILanguageModel model, LanguageModelRequest prompt, TimeSpan callTimeout, GateLease? lease, TimeSpan waited, CancellationToken cancellationToken)
    {
        using var scope = new ModelCallScope(metrics, time, model, prompt);
        try
        {
            var result = await TimedCallAsync(model.Endpoint, token => model.CompleteAsync(scope.Request, token), callTimeout, lease, waited, cancellationToken).ConfigureAwait(false);
            scope.End(result.Outcome);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            scope.Cancelled();
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            scope.Failed(ex);
            throw;
        }
    }

    /// <summary>The one mapping from a call's outcome to what its caller falls back on.</summary>
    private GatedModelCall Sorted(GateCallResult<string> call, ModelPool models)
    {
        var endpoint = call.Endpoint ?? string.Join(",", models.Endpoints);
        var (failure, detail) = call.Outcome switch
        {
            GateCallOutcome.Completed => (ModelCallFailure.None, "completed"),
            GateCallOutcome.AlreadyKept => (ModelCallFailure.AlreadyKept, "kept by another run"),
            GateCallOutcome.WaitBudgetExceeded or GateCallOutcome.QueueFull => (ModelCallFailure.GateBusy, call.Outcome.ToString()),
            GateCallOutcome.EndpointDown => (ModelCallFailure.HostDown, $"endpoints {string.Join(", ", models.Endpoints)} are down"),
            GateCallOutcome.TimedOut or GateCallOutcome.Stalled => (ModelCallFailure.TimedOut, $"{call.Outcome} after {call.CallElapsed.TotalMilliseconds:F0} ms"),
            _ => (ModelCallFailure.Failed, call.Outcome.ToString()),
        };

        // A stall is the host's fault when its health went down meanwhile (or nothing tracks health).
        var hostAtFault = call.Outcome is GateCallOutcome.EndpointDown or GateCallOutcome.HostFailed
            || (call.Outcome == GateCallOutcome.Stalled && health?.IsDown(endpoint) != false);
        return new GatedModelCall(failure, call.Value, call.Waited, call.CallElapsed, call.Endpoint, detail) { HostAtFault = hostAtFault };
    }
}

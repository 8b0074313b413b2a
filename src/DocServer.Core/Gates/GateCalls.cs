using DocServer.Core.Llm;
using DocServer.Core.Telemetry;

namespace DocServer.Core.Gates;

/// <summary>
/// A call to an endpoint, run the way every MLX call must be: inside the endpoint's gate lease (G1),
/// its timeout counted from the grant (G2), abandoned if the lease is lost; or at once for an endpoint
/// configured as ungated (G10).
/// </summary>
public static class GateCalls
{
    /// <summary>
    /// G1: a model is asked only through the gate named after its endpoint, here the first of the pool to
    /// grant. When none can serve in time (the budget ran out, the queue is full, every host is down), the
    /// pool's overflow endpoint answers if one is configured (G10: it needs no gate). Each call made is one
    /// <c>chat {model}</c> span and one measurement (<see cref="PipelineMetrics"/>), whatever its outcome.
    /// </summary>
    public static async Task<GateCallResult<string>> CompleteAsync(
        this GateClient gates, ModelPool models, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, LanguageModelRequest prompt, GateRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(prompt);
        var result = await RunOnPoolAsync(
            gates,
            models.Endpoints,
            priority,
            waitBudget,
            request,
            (endpoint, lease, waited, token) => ModelCallAsync(gates, models[endpoint], prompt, callTimeout, lease, waited, token),
            cancellationToken).ConfigureAwait(false);
        if (models.Overflow is { } overflow && result.Outcome is GateCallOutcome.WaitBudgetExceeded or GateCallOutcome.QueueFull or GateCallOutcome.EndpointDown)
        {
            return await ModelCallAsync(gates, overflow, prompt, callTimeout, null, result.Waited, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The pool's loop: a lease on the first gate to grant, one attempt inside it, and the next live member if that host failed.</summary>
    internal static async Task<GateCallResult<T>> RunOnPoolAsync<T>(
        GateClient gates,
        IReadOnlyList<string> pool,
        GatePriority priority,
        TimeSpan waitBudget,
        GateRequest? request,
        Func<string, GateLease?, TimeSpan, CancellationToken, Task<GateCallResult<T>>> attempt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(pool);
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
            var live = pool.Where(e => !failed.Contains(e) && gates.Health?.IsDown(e) != true).ToList();
            if (live.Count == 0)
            {
                return lastFailure ?? new GateCallResult<T>(GateCallOutcome.EndpointDown, default, waited, TimeSpan.Zero);
            }

            var acquisition = await gates.AcquireAsync(live, priority, waitBudget - waited, request, cancellationToken).ConfigureAwait(false);
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
                result = gates.Health?.IsDown(lease.Gate) == true
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

    private static async Task<GateCallResult<string>> ModelCallAsync(
        GateClient gates, ILanguageModel model, LanguageModelRequest prompt, TimeSpan callTimeout, GateLease? lease, TimeSpan waited, CancellationToken cancellationToken)
    {
        using var scope = new ModelCallScope(gates.Metrics, gates.Time, model, prompt);
        try
        {
            var result = await TimedCallAsync(gates, model.Endpoint, token => model.CompleteAsync(scope.Request, token), callTimeout, lease, waited, cancellationToken).ConfigureAwait(false);
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

    internal static async Task<GateCallResult<T>> TimedCallAsync<T>(
        GateClient gates, string endpoint, Func<CancellationToken, Task<T>> call, TimeSpan callTimeout, GateLease? lease, TimeSpan waited, CancellationToken cancellationToken)
    {
        var time = gates.Time;
        var leaseLost = lease?.LostToken ?? CancellationToken.None;
        using var timeout = new CancellationTokenSource(callTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, leaseLost);
        var started = time.GetTimestamp();
        try
        {
            // WaitAsync: a call that ignores its token is still abandoned on time.
            var value = await call(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
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
        catch (Exception ex) when (gates.Health?.IsHostFailure(ex) == true)
        {
            return new GateCallResult<T>(GateCallOutcome.HostFailed, default, waited, time.GetElapsedTime(started)) { Endpoint = endpoint };
        }
    }
}

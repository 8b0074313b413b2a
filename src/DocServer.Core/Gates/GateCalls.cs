using DocServer.Core.Llm;

namespace DocServer.Core.Gates;

/// <summary>
/// A call to an endpoint, run the way every MLX call must be: inside the endpoint's gate lease (G1),
/// its timeout counted from the grant (G2), abandoned if the lease is lost; or at once for an endpoint
/// configured as ungated (G10).
/// </summary>
public static class GateCalls
{
    /// <summary>
    /// G2: runs <paramref name="call"/> inside a lease; <paramref name="callTimeout"/> starts only once
    /// the lease is granted, so waiting never trips it. The call is abandoned if the lease is lost.
    /// G10: an endpoint configured as ungated runs at once, touching no gate.
    /// </summary>
    public static async Task<GateCallResult<T>> RunAsync<T>(
        this GateClient gates, string endpoint, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(call);
        if (!gates.Catalog.IsGated(endpoint))
        {
            return await TimedCallAsync(gates, call, callTimeout, null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        // G13: nobody queues for a host known to be down; waiting would only end in a timeout.
        if (gates.Health?.IsDown(endpoint) == true)
        {
            return new GateCallResult<T>(GateCallOutcome.EndpointDown, default, TimeSpan.Zero, TimeSpan.Zero);
        }

        var acquisition = await gates.AcquireAsync(endpoint, priority, waitBudget, cancellationToken).ConfigureAwait(false);
        if (acquisition.Lease is not { } lease)
        {
            var outcome = acquisition.Outcome == GateAcquisitionOutcome.QueueFull ? GateCallOutcome.QueueFull : GateCallOutcome.WaitBudgetExceeded;
            return new GateCallResult<T>(outcome, default, acquisition.Waited, TimeSpan.Zero);
        }

        await using (lease.ConfigureAwait(false))
        {
            // The host may have gone down while this caller waited: give the slot back at once.
            if (gates.Health?.IsDown(endpoint) == true)
            {
                return new GateCallResult<T>(GateCallOutcome.EndpointDown, default, acquisition.Waited, TimeSpan.Zero);
            }

            return await TimedCallAsync(gates, call, callTimeout, lease, acquisition.Waited, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>G1: a model is asked only through the gate named after its endpoint.</summary>
    public static Task<GateCallResult<string>> CompleteAsync(
        this GateClient gates, ILanguageModel model, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, LanguageModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        return gates.RunAsync(model.Endpoint, priority, waitBudget, callTimeout, ct => model.CompleteAsync(request, ct), cancellationToken);
    }

    private static async Task<GateCallResult<T>> TimedCallAsync<T>(
        GateClient gates, Func<CancellationToken, Task<T>> call, TimeSpan callTimeout, GateLease? lease, TimeSpan waited, CancellationToken cancellationToken)
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
            return new GateCallResult<T>(GateCallOutcome.Completed, value, waited, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && linked.IsCancellationRequested)
        {
            var outcome = leaseLost.IsCancellationRequested ? GateCallOutcome.LeaseLost : GateCallOutcome.TimedOut;
            return new GateCallResult<T>(outcome, default, waited, time.GetElapsedTime(started));
        }
        catch (ModelStalledException)
        {
            return new GateCallResult<T>(GateCallOutcome.Stalled, default, waited, time.GetElapsedTime(started));
        }
        catch (Exception ex) when (gates.Health?.IsHostFailure(ex) == true)
        {
            return new GateCallResult<T>(GateCallOutcome.HostFailed, default, waited, time.GetElapsedTime(started));
        }
    }
}

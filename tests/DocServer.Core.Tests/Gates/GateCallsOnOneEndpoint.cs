using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// Gated calls of any kind for the gate tests: the pool path and the timed call every model call takes
/// (<see cref="GatedModelCalls.CompleteAsync"/>), around a call the test writes instead of a model's.
/// </summary>
internal static class GateCallsOnOneEndpoint
{
    /// <summary>
    /// G2: runs <paramref name="call"/> inside a lease; <paramref name="callTimeout"/> starts only once the lease is
    /// granted. G10: an ungated endpoint runs at once, touching no gate.
    /// </summary>
    public static Task<GateCallResult<T>> RunAsync<T>(
        this GatedModelCalls calls, string endpoint, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(call);
        return calls.RunAsync([endpoint], priority, waitBudget, callTimeout, null, (_, token) => call(token), cancellationToken);
    }

    /// <summary>G12: runs <paramref name="call"/> on the first endpoint of <paramref name="pool"/> whose gate grants (G13: not one known down).</summary>
    public static Task<GateCallResult<T>> RunAsync<T>(
        this GatedModelCalls calls,
        IReadOnlyList<string> pool,
        GatePriority priority,
        TimeSpan waitBudget,
        TimeSpan callTimeout,
        GateRequest? request,
        Func<string, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(call);
        return calls.RunOnPoolAsync(
            pool,
            priority,
            waitBudget,
            request,
            (endpoint, lease, waited, token) => calls.TimedCallAsync(endpoint, t => call(endpoint, t), callTimeout, lease, waited, token),
            cancellationToken);
    }
}

using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

/// <summary>The gate tests' shorthand: a call on one endpoint through the pool path every gated call takes.</summary>
internal static class GateCallsOnOneEndpoint
{
    /// <summary>
    /// G2: runs <paramref name="call"/> inside a lease; <paramref name="callTimeout"/> starts only once the lease is
    /// granted. G10: an ungated endpoint runs at once, touching no gate.
    /// </summary>
    public static Task<GateCallResult<T>> RunAsync<T>(
        this GateClient gates, string endpoint, GatePriority priority, TimeSpan waitBudget, TimeSpan callTimeout, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return gates.RunAsync([endpoint], priority, waitBudget, callTimeout, null, (_, token) => call(token), cancellationToken);
    }
}

using DocServer.Core.Gates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions.Gates;

/// <summary>GET /api/gate/status: every gate's holders and queue (G9: reads only).</summary>
internal static class GateApi
{
    public static RouteGroupBuilder MapGateStatus(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/gate/status", StatusAsync).WithName("GateStatus").WithTags("Gates");
        return api;
    }

    internal static async Task<Ok<IReadOnlyList<GateStatus>>> StatusAsync(GateClient gates, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AllAsync(gates, cancellationToken).ConfigureAwait(false));

    /// <summary>Every configured gate's status, in catalog order; <see cref="GateUnavailableException"/> when storage cannot be reached.</summary>
    internal static async Task<IReadOnlyList<GateStatus>> AllAsync(GateClient gates, CancellationToken cancellationToken)
    {
        var statuses = new List<GateStatus>();
        foreach (var gate in gates.Catalog.GateNames)
        {
            statuses.Add(await gates.GetStatusAsync(gate, cancellationToken).ConfigureAwait(false));
        }

        return statuses;
    }
}

using DocServer.Core.Gates;
using DocServer.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions.Gates;

/// <summary>GET /api/gate/status: every gate's holders and queue (G9: reads only).</summary>
internal static class GateApi
{
    public static IEndpointRouteBuilder MapGateStatus(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(ApiRoutes.GateStatus, StatusAsync).WithName(FunctionNames.GateStatus).WithTags("Gates");
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<Contracts.GateStatusResponse>>> StatusAsync(GateClient gates, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AllAsync(gates, cancellationToken).ConfigureAwait(false));

    /// <summary>Every configured gate's status, in catalog order; <see cref="GateUnavailableException"/> when storage cannot be reached.</summary>
    internal static async Task<IReadOnlyList<Contracts.GateStatusResponse>> AllAsync(GateClient gates, CancellationToken cancellationToken)
    {
        var statuses = new List<Contracts.GateStatusResponse>();
        foreach (var gate in gates.Catalog.GateNames)
        {
            statuses.Add(Contracts.GateStatusResponse.From(await gates.GetStatusAsync(gate, cancellationToken).ConfigureAwait(false)));
        }

        return statuses;
    }
}

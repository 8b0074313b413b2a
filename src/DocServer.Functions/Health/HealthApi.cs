using DocServer.Core.Gates;
using DocServer.Functions.Hosting;
using DocServer.Llm.Health;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions.Health;

/// <summary>
/// GET /api/health: what an operator or a load balancer checks first. 200 while the app can serve
/// ("healthy", or "degraded" when a model host is down: asks still answer, from the documents); 503 with
/// Retry-After when storage cannot be reached ("unhealthy"). Reads only.
/// </summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(ApiRoutes.Health, CheckAsync).WithName(FunctionNames.Health).WithTags("Health");
        return app;
    }

    internal static async Task<JsonHttpResult<HealthReport>> CheckAsync(GateClient gates, EndpointHealth endpoints, Documents.DocumentIndex index, StorageProvisioner provisioner, HttpResponse response, CancellationToken cancellationToken)
    {
        IReadOnlyList<Contracts.GateStatusResponse> statuses = [];
        string? storageError = null;
        try
        {
            statuses = await Gates.GateApi.AllAsync(gates, cancellationToken).ConfigureAwait(false);
        }
        catch (GateUnavailableException ex)
        {
            storageError = Storage.StorageFailures.Describe(ex);
            provisioner.OutageSeen();
        }

        // Reachable is not enough: until our tables, containers and queues exist, writes and reads answer 503.
        storageError ??= provisioner.NotReady is { } why ? $"storage is being prepared (tables, containers, queues): {why}" : null;

        var hosts = endpoints.Reports();
        // "loading": listening and serving everything but asks, which answer 503 until the index is loaded.
        var state = index.State;
        var status = storageError is not null ? "unhealthy" : !state.Ready ? "loading" : hosts.Any(h => h.State == "down") ? "degraded" : "healthy";
        if (storageError is not null)
        {
            response.Headers.RetryAfter = ErrorResponses.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var report = new HealthReport(status, new StorageHealth(storageError is null, storageError), state, [.. hosts.Select(Contracts.EndpointHealthResponse.From)], statuses);
        return TypedResults.Json(report, statusCode: storageError is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

internal sealed record HealthReport(string Status, StorageHealth Storage, Documents.IndexState Index, IReadOnlyList<Contracts.EndpointHealthResponse> Endpoints, IReadOnlyList<Contracts.GateStatusResponse> Gates);

internal sealed record StorageHealth(bool Reachable, string? Error);

using DocServer.Llm.Health;

namespace DocServer.Functions.Contracts;

/// <summary>A model host as this instance sees it: up or down (its circuit), since when, and the last errors.</summary>
internal sealed record EndpointHealthResponse(string Endpoint, string State, DateTimeOffset? DownSince, string? LastError, DateTimeOffset? LastErrorAt, string? LastProbeError)
{
    public static EndpointHealthResponse From(EndpointHealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Endpoint, report.State, report.DownSince, report.LastError, report.LastErrorAt, report.LastProbeError);
    }
}

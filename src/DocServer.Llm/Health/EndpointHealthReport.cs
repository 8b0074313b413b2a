namespace DocServer.Llm.Health;

/// <summary>
/// One endpoint as this instance's breaker sees it: "up" or "down", since when, the host failure that opened
/// the breaker, and (while down) what the last probe found.
/// </summary>
public sealed record EndpointHealthReport(string Endpoint, string State, DateTimeOffset? DownSince, string? LastError, DateTimeOffset? LastErrorAt, string? LastProbeError);

namespace DocServer.Functions.Ask;

/// <summary>
/// An asynchronous ask as accepted: its id (also the orchestration's instance id), the question, and its arrival, by
/// which its calls are served (G11); <paramref name="TraceParent"/> links the run to the request that accepted it.
/// </summary>
internal sealed record AcceptedAsk(string Id, string Question, DateTimeOffset AcceptedAt, string? TraceParent = null);

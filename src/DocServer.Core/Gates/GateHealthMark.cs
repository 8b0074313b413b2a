namespace DocServer.Core.Gates;

/// <summary>
/// G13: the last known health of the gate's host, carried in the gate row so every instance and the status
/// show it: down since when, the last error, and which instance said so. No mark means the host is up.
/// Advisory only: each instance decides from its own circuit breaker.
/// </summary>
public sealed record GateHealthMark(DateTimeOffset DownSince, string LastError, string ReportedBy);

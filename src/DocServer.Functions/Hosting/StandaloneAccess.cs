namespace DocServer.Functions.Hosting;

/// <summary>The function key the standalone app asks of /api callers (null: none, it listens on loopback only).</summary>
internal sealed record StandaloneAccess(string? Key);

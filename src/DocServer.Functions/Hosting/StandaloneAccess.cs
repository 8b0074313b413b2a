namespace DocServer.Functions.Hosting;

/// <summary>Where the standalone app listens, and the function key it asks of /api callers (null: none, loopback only).</summary>
internal sealed record StandaloneAccess(IReadOnlyList<string> Addresses, string? Key);

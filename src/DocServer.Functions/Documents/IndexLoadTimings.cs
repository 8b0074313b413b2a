namespace DocServer.Functions.Documents;

/// <summary>
/// Milliseconds of a full load: from its start to the snapshot's segments loaded; to the listing in (read meanwhile);
/// and what came after (removals, documents read again from their chunk rows).
/// </summary>
internal sealed record IndexLoadTimings(double SnapshotLoadedMs, double ListedMs, double BuildMs);

namespace DocServer.Storage.Digests;

/// <summary>
/// The digest's bookkeeping row: the last run that claimed a window (<see cref="LastRun"/>, from
/// <see cref="LastFrom"/> to <see cref="LastCutoff"/>; the next run starts at that cut-off) and the newest digest
/// written. A run claims its window once, with If-Match, so two runs never cover one document; a run that asks
/// again (its activity re-run after a crash) gets the window it claimed. <see cref="ETag"/> is what it was read with.
/// </summary>
public sealed record DigestRunState(
    string? LastRun,
    DateTimeOffset LastFrom,
    DateTimeOffset LastCutoff,
    string? Latest,
    string? ETag = null);

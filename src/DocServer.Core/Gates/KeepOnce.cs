namespace DocServer.Core.Gates;

/// <summary>
/// What a call whose result is kept once does inside its lease. Background work runs at least once: an activity is
/// delivered again after a crash or while the task hub's partition moves between workers, and a digest may want the
/// summary an extraction is making. Two runs that both found the result missing would both call the model; inside
/// the lease no other run of a capacity-1 gate is between them, so <see cref="IsKeptAsync"/> looks again just before
/// the call and <see cref="KeepAsync"/> stores the reply before the lease is given back: the run granted next finds
/// the result and makes no call. An exception from <see cref="KeepAsync"/> is the call's failure (the work retries).
/// </summary>
public sealed record KeepOnce(Func<CancellationToken, Task<bool>> IsKeptAsync, Func<string, CancellationToken, Task> KeepAsync);

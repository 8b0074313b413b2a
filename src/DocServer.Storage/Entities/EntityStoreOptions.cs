namespace DocServer.Storage.Entities;

/// <summary>How an <see cref="EntityStore"/> behaves under write contention.</summary>
public sealed record EntityStoreOptions
{
    /// <summary>Conflicts in a row before an update gives up with an exception.</summary>
    public int MaxConflicts { get; init; } = 200;

    /// <summary>The first backoff after a conflict; it doubles per conflict, randomised, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(2);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Try a write straight from the last state this process saw, saving the read when nobody else
    /// wrote since (the common uncontended case); a stale guess just costs one 412.
    /// </summary>
    public bool WriteFromCache { get; init; } = true;
}

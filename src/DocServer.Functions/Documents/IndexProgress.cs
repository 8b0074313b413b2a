namespace DocServer.Functions.Documents;

/// <summary>
/// Where this instance's index stands, as one immutable value swapped whole (<see cref="DocumentIndex.Update"/>):
/// whether the first load is done, documents loaded of those listed, how many came from the snapshot, the change-log
/// sequence applied, and when it was last refreshed, fully reconciled and last written to (or read from) a snapshot
/// (timestamps of the app's <see cref="TimeProvider"/>; 0 for never).
/// </summary>
internal sealed record IndexProgress(bool Ready, int DocumentsToLoad, int DocumentsLoaded, int FromSnapshot, long Sequence, long RefreshedAt, long ReconciledAt, long SnapshotAt)
{
    public static IndexProgress Start { get; } = new(false, 0, 0, 0, 0, 0, 0, 0);
}

namespace DocServer.Functions.Documents;

/// <summary>
/// The index as /api/health reports it: ready, documents loaded of those listed, chunks, how many documents the
/// first load took from the snapshot, the change-log sequence it has applied, seconds since the last refresh.
/// </summary>
internal sealed record IndexState(bool Ready, int DocumentsLoaded, int Documents, int Chunks, int FromSnapshot, long Sequence, double? RefreshedSecondsAgo);

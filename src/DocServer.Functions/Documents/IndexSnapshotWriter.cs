using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Documents;

/// <summary>
/// Writes the index to a new snapshot when it changed since the last one this instance knows of and the last is older
/// than IndexSnapshotInterval (or there was none), if no other instance holds the writer lease; then trims the change
/// log. Called by <see cref="IndexLoader"/> only, one write at a time.
/// </summary>
internal sealed class IndexSnapshotWriter(DocumentIndex index, IndexSnapshotStore snapshots, DocumentStore store, IOptions<DocServerOptions> options, TimeProvider time, ILogger<IndexSnapshotWriter> logger)
{
    /// <summary>The sequence this instance's previous snapshot had applied: the log is trimmed through it.</summary>
    private long _trimThrough;

    public async Task<bool> WriteIfDueAsync(CancellationToken cancellationToken)
    {
        var progress = index.Progress;
        if (!progress.Ready || index.ChangesSinceSnapshot == 0 || (progress.SnapshotAt != 0 && time.GetElapsedTime(progress.SnapshotAt) < options.Value.IndexSnapshotInterval))
        {
            return false;
        }

        var ids = index.Held().Keys.ToList();
        index.SnapshotTaken();
        var sequence = index.Update(p => p with { SnapshotAt = time.GetTimestamp() }).Sequence;
        if (!await snapshots.TryWriteAsync(ids, index.Export, time.GetUtcNow().UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // The change log is kept for one snapshot interval: the writer trims what was already applied when it wrote the
        // snapshot before this one. A new instance lists everything and needs none of it; a follower that fell further
        // behind sees the gap and lists everything too (IndexRefresher).
        if (_trimThrough > 0)
        {
            var trimmed = await store.ChangeLog.TrimAsync(_trimThrough, cancellationToken).ConfigureAwait(false);
            FunctionLog.ChangeLogTrimmed(logger, trimmed, _trimThrough);
        }

        _trimThrough = sequence;
        return true;
    }
}

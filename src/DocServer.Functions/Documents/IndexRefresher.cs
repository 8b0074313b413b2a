using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Documents;

/// <summary>
/// Brings the index up to storage, after the app already listens (<see cref="IndexLoader"/>). Once loaded, by the
/// change log: only the documents switched or deleted since the last sequence applied are read again. The first load,
/// and a full reconciliation every IndexSnapshotInterval (a safety net for writers that log nothing, such as an older
/// build mid-deployment), list every document instead: from the newest snapshot's index segments where a document's
/// version there is its current one, from its chunk rows otherwise.
/// </summary>
internal sealed class IndexRefresher(DocumentIndex index, DocumentStore store, IndexSnapshotStore snapshots, IOptions<DocServerOptions> options, TimeProvider time, ILogger<IndexRefresher> logger)
{
    /// <summary>Chunk reads in flight while loading: one query per document, many at once.</summary>
    private const int LoadParallelism = 16;

    private string? _snapshotLoaded;

    public TimeSpan Interval => options.Value.IndexRefreshInterval;

    /// <summary>Where the last full load's time went.</summary>
    public IndexLoadTimings? LastLoad { get; private set; }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var progress = index.Progress;
        var reconciledRecently = progress.ReconciledAt != 0 && time.GetElapsedTime(progress.ReconciledAt) < options.Value.IndexSnapshotInterval;
        if (progress.Ready && reconciledRecently && await FollowLogAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every document and reads again those the index does not hold as they are (the first load: with the snapshot).</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        // The sequence is read before the list: a change made while listing is applied again from the log (harmless).
        var started = time.GetTimestamp();
        var firstLoad = !index.IsReady;
        var sequence = await store.ChangeLog.SequenceAsync(cancellationToken).ConfigureAwait(false);
        var listedAt = 0L;
        var listing = ListAsync();
        var snapshot = firstLoad ? await LoadSnapshotAsync(cancellationToken).ConfigureAwait(false) : null;
        var snapshotLoaded = time.GetTimestamp();
        var documents = await listing.ConfigureAwait(false);
        var bothIn = time.GetTimestamp();

        var held = index.Held();
        foreach (var gone in held.Keys.Except(documents.Select(d => d.Id)).ToList())
        {
            index.Remove(gone);
        }

        var changed = documents.Where(d => !held.TryGetValue(d.Id, out var version) || version.IngestedAt != d.IngestedAt || version.Version != d.Version).ToList();

        // A first load: what is not read again below came from the snapshot.
        index.Update(p => p with { DocumentsToLoad = documents.Count, DocumentsLoaded = documents.Count - changed.Count, FromSnapshot = snapshot is null ? p.FromSnapshot : documents.Count - changed.Count });
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken }, async (document, ct) =>
        {
            index.Put(document, await store.ChunksAsync(document, ct).ConfigureAwait(false));
            index.Update(p => p with { DocumentsLoaded = p.DocumentsLoaded + 1 });
        }).ConfigureAwait(false);

        var now = time.GetTimestamp();
        var currentSnapshot = firstLoad && snapshot is not null && changed.Count == 0;
        if (currentSnapshot)
        {
            // Loaded wholly from a snapshot that is current: nothing new to write.
            index.SnapshotTaken();
        }

        LastLoad = new IndexLoadTimings(
            time.GetElapsedTime(started, snapshotLoaded).TotalMilliseconds,
            time.GetElapsedTime(started, listedAt).TotalMilliseconds,
            time.GetElapsedTime(bothIn).TotalMilliseconds);
        index.Update(p => p with { Ready = true, RefreshedAt = now, ReconciledAt = now, Sequence = Math.Max(p.Sequence, sequence), SnapshotAt = currentSnapshot ? now : p.SnapshotAt });

        async Task<IReadOnlyList<DocumentRecord>> ListAsync()
        {
            var listed = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            listedAt = time.GetTimestamp();
            return listed;
        }
    }

    /// <summary>
    /// Loads the newest snapshot's shards into the index while the document listing is on its way; each shard is added
    /// whole or not at all. Returns the snapshot, or null if there is none. A snapshot that cannot be read (damaged, or
    /// replaced while read) is logged, and what it did not give is read from the chunk rows by the caller.
    /// </summary>
    private async Task<IndexSnapshot?> LoadSnapshotAsync(CancellationToken cancellationToken)
    {
        IndexSnapshot? snapshot = null;
        try
        {
            snapshot = await snapshots.OpenAsync(cancellationToken).ConfigureAwait(false);

            // A first load tried again (its listing failed) does not load the same snapshot a second time.
            if (snapshot is not null && snapshot.Generation != _snapshotLoaded)
            {
                await foreach (var shard in snapshots.ReadShardsAsync(snapshot, cancellationToken).ConfigureAwait(false))
                {
                    index.Load(shard);
                }

                _snapshotLoaded = snapshot.Generation;
            }
        }
        catch (InvalidDataException ex)
        {
            FunctionLog.SnapshotUnreadable(logger, snapshot?.Generation ?? "(manifest)", ex.Message);
        }

        return snapshot;
    }

    /// <summary>
    /// Applies the change log after the last sequence: each document named there is read again as it is now. False when
    /// entries this instance has not applied were trimmed (the first one read is not the next sequence): the caller then
    /// lists everything.
    /// </summary>
    private async Task<bool> FollowLogAsync(CancellationToken cancellationToken)
    {
        var applied = index.Progress.Sequence;
        var changes = await store.ChangeLog.ChangesAsync(applied, cancellationToken).ConfigureAwait(false);
        if (changes.Count > 0 && changes[0].Sequence != applied + 1)
        {
            FunctionLog.ChangeLogGap(logger, applied, changes[0].Sequence);
            return false;
        }

        foreach (var id in changes.Select(c => c.Id).Distinct(StringComparer.Ordinal))
        {
            var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            var held = index.HeldVersion(id);
            if (current is null)
            {
                index.Remove(id);
            }
            else if (held is null || held.Version != current.Version || held.IngestedAt != current.IngestedAt)
            {
                index.Put(current, await store.ChunksAsync(current, cancellationToken).ConfigureAwait(false));
            }
        }

        var count = changes.Count > 0 ? index.Held().Count : 0;
        var now = time.GetTimestamp();
        index.Update(p => changes.Count > 0
            ? p with { Sequence = changes[^1].Sequence, DocumentsToLoad = count, DocumentsLoaded = count, RefreshedAt = now }
            : p with { RefreshedAt = now });
        return true;
    }
}

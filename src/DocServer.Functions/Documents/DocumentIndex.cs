using DocServer.Core.Documents;
using DocServer.Core.Evidence;
using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Documents;

/// <summary>
/// This instance's search index over the shared document store. Storage is the truth; the index is a copy,
/// loaded after the app already listens (<see cref="IndexLoader"/>): from the newest snapshot's index segments where a
/// document's version there is its current one, from its chunk rows otherwise; then kept fresh in the background every
/// IndexRefreshInterval, loading only the documents that changed. A search never waits for storage: it answers
/// from what the index holds; before the first load is complete it says how far the load is (<see cref="Loading"/>).
/// Changes made by this instance apply at once.
/// </summary>
internal sealed class DocumentIndex(DocumentStore store, IndexSnapshotStore snapshots, IOptions<DocServerOptions> options, TimeProvider time, ILogger<DocumentIndex> logger)
{
    /// <summary>Chunk reads in flight while loading: one query per document, many at once.</summary>
    private const int LoadParallelism = 16;

    private readonly Bm25Index _index = new();
    /// <summary>
    /// The version of each document the index holds. Changed together with the index under its own lock, so an export
    /// for a snapshot never pairs a version with another version's chunks.
    /// </summary>
    private readonly Dictionary<string, SnapshotDocument> _loaded = new(StringComparer.Ordinal);
    private string? _snapshotLoaded;
    private long _trimThrough;
    private int _documentsToLoad;
    private int _documentsLoaded;
    private long _refreshedAt;
    private long _snapshotAt;
    private int _changesSinceSnapshot;
    private int _fromSnapshot;
    private long _sequence;
    private long _reconciledAt;
    private readonly TaskCompletionSource _loadedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _ready;

    public bool IsReady => _ready;

    /// <summary>Completes when the first load is done: for work that can wait (a queued ask), unlike an HTTP ask.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) => _loadedOnce.Task.WaitAsync(cancellationToken);

    /// <summary>What the index holds and how fresh it is, for /api/health.</summary>
    public IndexState State => new(
        _ready,
        Volatile.Read(ref _documentsLoaded),
        Volatile.Read(ref _documentsToLoad),
        _index.ChunkCount,
        Volatile.Read(ref _fromSnapshot),
        Interlocked.Read(ref _sequence),
        Interlocked.Read(ref _refreshedAt) is var at and not 0 ? Math.Round(time.GetElapsedTime(at).TotalSeconds, 1) : null);

    /// <summary>Null once the first load is complete; until then, how far it is.</summary>
    public IndexLoading? Loading => _ready ? null : new(Volatile.Read(ref _documentsLoaded), Volatile.Read(ref _documentsToLoad));

    /// <summary>The best chunks for <paramref name="query"/>; only once <see cref="Loading"/> is null (asks check it first).</summary>
    public IReadOnlyList<SearchResult> Search(string query, int top) =>
        _ready ? _index.Search(query, top) : throw new InvalidOperationException("The index is still loading: check Loading before searching.");

    public void Put(DocumentRecord document, IReadOnlyList<DocumentChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (_loaded)
        {
            _index.Add(document.Id, chunks);
            _loaded[document.Id] = new SnapshotDocument(document.Id, document.Version, document.IngestedAt);
        }

        Interlocked.Increment(ref _changesSinceSnapshot);
    }

    public void Remove(string id)
    {
        lock (_loaded)
        {
            _index.Remove(id);
            _loaded.Remove(id);
        }

        Interlocked.Increment(ref _changesSinceSnapshot);
    }

    /// <summary>A snapshot shard's documents, as the snapshot holds them: not a change to write to the next one.</summary>
    private void Load(SnapshotShard shard)
    {
        lock (_loaded)
        {
            _index.AddSegment(shard.Index);
            foreach (var document in shard.Documents)
            {
                _loaded[document.Id] = document;
            }
        }
    }

    /// <summary>Some documents as a snapshot shard: their part of the index and the versions it was built from.</summary>
    private SnapshotShard Export(IReadOnlyList<string> ids)
    {
        lock (_loaded)
        {
            return SnapshotShard.Of(_index.Export(ids), id => _loaded[id]);
        }
    }

    /// <summary>
    /// Brings the index up to storage. Once loaded, by the change log: only the documents switched or deleted since the
    /// last sequence applied are read again. The first load, and a full reconciliation every IndexSnapshotInterval (a
    /// safety net for writers that log nothing, such as an older build mid-deployment), list every document instead.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var reconciled = Interlocked.Read(ref _reconciledAt);
        if (_ready && reconciled != 0 && time.GetElapsedTime(reconciled) < options.Value.IndexSnapshotInterval && await FollowLogAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // The sequence is read before the list: a change made while listing is applied again from the log (harmless).
        var started = time.GetTimestamp();
        var sequence = await store.ChangeLog.SequenceAsync(cancellationToken).ConfigureAwait(false);
        var listedAt = 0L;
        var listing = ListAsync();
        var snapshot = _ready ? null : await LoadSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var snapshotLoaded = time.GetTimestamp();

        var documents = await listing.ConfigureAwait(false);
        var bothIn = time.GetTimestamp();
        Dictionary<string, SnapshotDocument> loaded;
        lock (_loaded)
        {
            loaded = new Dictionary<string, SnapshotDocument>(_loaded, StringComparer.Ordinal);
        }

        foreach (var gone in loaded.Keys.Except(documents.Select(d => d.Id)).ToList())
        {
            Remove(gone);
        }

        var changed = documents.Where(d => !loaded.TryGetValue(d.Id, out var held) || held.IngestedAt != d.IngestedAt || held.Version != d.Version).ToList();
        if (snapshot is not null)
        {
            // A first load: what is not read again below came from the snapshot.
            Volatile.Write(ref _fromSnapshot, documents.Count - changed.Count);
        }

        Volatile.Write(ref _documentsToLoad, documents.Count);
        Volatile.Write(ref _documentsLoaded, documents.Count - changed.Count);
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken }, async (document, ct) =>
        {
            Put(document, await store.ChunksAsync(document, ct).ConfigureAwait(false));
            Interlocked.Increment(ref _documentsLoaded);
        }).ConfigureAwait(false);
        Interlocked.Exchange(ref _refreshedAt, time.GetTimestamp());
        Interlocked.Exchange(ref _reconciledAt, time.GetTimestamp());
        Interlocked.Exchange(ref _sequence, Math.Max(Interlocked.Read(ref _sequence), sequence));
        if (!_ready && snapshot is not null && changed.Count == 0)
        {
            // Loaded wholly from a snapshot that is current: nothing new to write.
            Volatile.Write(ref _changesSinceSnapshot, 0);
            Interlocked.Exchange(ref _snapshotAt, time.GetTimestamp());
        }

        LastLoad = new IndexLoadTimings(
            time.GetElapsedTime(started, snapshotLoaded).TotalMilliseconds,
            time.GetElapsedTime(started, listedAt).TotalMilliseconds,
            time.GetElapsedTime(bothIn).TotalMilliseconds);
        _ready = true;
        _loadedOnce.TrySetResult();

        async Task<IReadOnlyList<DocumentRecord>> ListAsync()
        {
            var listed = await store.ListAsync(cancellationToken).ConfigureAwait(false);
            listedAt = time.GetTimestamp();
            return listed;
        }
    }

    /// <summary>
    /// Writes a new snapshot when the index changed since the last one this instance knows of and the last is
    /// older than IndexSnapshotInterval (or there was none), if no other instance holds the writer lease.
    /// </summary>
    public async Task<bool> WriteSnapshotIfDueAsync(CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref _snapshotAt);
        if (!_ready || Volatile.Read(ref _changesSinceSnapshot) == 0 || (last != 0 && time.GetElapsedTime(last) < options.Value.IndexSnapshotInterval))
        {
            return false;
        }

        List<string> ids;
        lock (_loaded)
        {
            ids = [.. _loaded.Keys];
        }

        Volatile.Write(ref _changesSinceSnapshot, 0);
        Interlocked.Exchange(ref _snapshotAt, time.GetTimestamp());
        var sequence = Interlocked.Read(ref _sequence);
        if (!await snapshots.TryWriteAsync(ids, Export, time.GetUtcNow().UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // The change log is kept for one snapshot interval: the writer trims what was already applied when it wrote the
        // snapshot before this one. A new instance lists everything and needs none of it; a follower that fell further
        // behind sees the gap and lists everything too (FollowLogAsync).
        if (_trimThrough > 0)
        {
            var trimmed = await store.ChangeLog.TrimAsync(_trimThrough, cancellationToken).ConfigureAwait(false);
            FunctionLog.ChangeLogTrimmed(logger, trimmed, _trimThrough);
        }

        _trimThrough = sequence;
        return true;
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
                    Load(shard);
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

    public TimeSpan RefreshInterval => options.Value.IndexRefreshInterval;

    /// <summary>Where the last full load's time went.</summary>
    public IndexLoadTimings? LastLoad { get; private set; }

    /// <summary>
    /// Applies the change log after the last sequence: each document named there is read again as it is now. False when
    /// entries this instance has not applied were trimmed (the first one read is not the next sequence): the caller then
    /// lists everything.
    /// </summary>
    private async Task<bool> FollowLogAsync(CancellationToken cancellationToken)
    {
        var applied = Interlocked.Read(ref _sequence);
        var changes = await store.ChangeLog.ChangesAsync(applied, cancellationToken).ConfigureAwait(false);
        if (changes.Count > 0 && changes[0].Sequence != applied + 1)
        {
            FunctionLog.ChangeLogGap(logger, applied, changes[0].Sequence);
            return false;
        }

        foreach (var id in changes.Select(c => c.Id).Distinct(StringComparer.Ordinal))
        {
            var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            SnapshotDocument? held;
            lock (_loaded)
            {
                held = _loaded.GetValueOrDefault(id);
            }

            if (current is null)
            {
                Remove(id);
            }
            else if (held is null || held.Version != current.Version || held.IngestedAt != current.IngestedAt)
            {
                Put(current, await store.ChunksAsync(current, cancellationToken).ConfigureAwait(false));
            }
        }

        if (changes.Count > 0)
        {
            Interlocked.Exchange(ref _sequence, changes[^1].Sequence);
            int count;
            lock (_loaded)
            {
                count = _loaded.Count;
            }

            Volatile.Write(ref _documentsToLoad, count);
            Volatile.Write(ref _documentsLoaded, count);
        }

        Interlocked.Exchange(ref _refreshedAt, time.GetTimestamp());
        return true;
    }
}

/// <summary>
/// The index as /api/health reports it: ready, documents loaded of those listed, chunks, how many documents the
/// first load took from the snapshot, the change-log sequence it has applied, seconds since the last refresh.
/// </summary>
internal sealed record IndexState(bool Ready, int DocumentsLoaded, int Documents, int Chunks, int FromSnapshot, long Sequence, double? RefreshedSecondsAgo);

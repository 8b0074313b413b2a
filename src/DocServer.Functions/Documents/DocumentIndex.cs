using DocServer.Core.Documents;
using DocServer.Core.Evidence;
using DocServer.Storage.Documents;

namespace DocServer.Functions.Documents;

/// <summary>
/// This instance's search index over the shared document store. Storage is the truth; the index is a copy, loaded
/// and kept fresh in the background (<see cref="IndexRefresher"/>), written to snapshots for new instances
/// (<see cref="IndexSnapshotWriter"/>). A search never waits for storage: it answers from what the index holds;
/// before the first load is complete it says how far the load is (<see cref="Loading"/>). Changes made by this
/// instance apply at once. Its load state is one <see cref="IndexProgress"/>, replaced whole.
/// </summary>
internal sealed class DocumentIndex(TimeProvider time)
{
    private readonly Bm25Index _index = new();

    /// <summary>
    /// The version of each document the index holds. Changed together with the index under its own lock, so an export
    /// for a snapshot never pairs a version with another version's chunks.
    /// </summary>
    private readonly Dictionary<string, SnapshotDocument> _held = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _loadedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IndexProgress _progress = IndexProgress.Start;
    private int _changesSinceSnapshot;

    public IndexProgress Progress => Volatile.Read(ref _progress);

    public bool IsReady => Progress.Ready;

    /// <summary>Completes when the first load is done: for work that can wait (a queued ask), unlike an HTTP ask.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) => _loadedOnce.Task.WaitAsync(cancellationToken);

    /// <summary>What the index holds and how fresh it is, for /api/health.</summary>
    public IndexState State
    {
        get
        {
            var p = Progress;
            return new(p.Ready, p.DocumentsLoaded, p.DocumentsToLoad, _index.ChunkCount, p.FromSnapshot, p.Sequence, p.RefreshedAt != 0 ? Math.Round(time.GetElapsedTime(p.RefreshedAt).TotalSeconds, 1) : null);
        }
    }

    /// <summary>Null once the first load is complete; until then, how far it is.</summary>
    public IndexLoading? Loading => Progress is { Ready: false } p ? new(p.DocumentsLoaded, p.DocumentsToLoad) : null;

    /// <summary>Documents changed here since the last snapshot this instance wrote or loaded whole.</summary>
    public int ChangesSinceSnapshot => Volatile.Read(ref _changesSinceSnapshot);

    /// <summary>The best chunks for <paramref name="query"/>; only once <see cref="Loading"/> is null (asks check it first).</summary>
    public IReadOnlyList<SearchResult> Search(string query, int top) =>
        IsReady ? _index.Search(query, top) : throw new InvalidOperationException("The index is still loading: check Loading before searching.");

    public void Put(DocumentRecord document, IReadOnlyList<DocumentChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (_held)
        {
            _index.Add(document.Id, chunks);
            _held[document.Id] = new SnapshotDocument(document.Id, document.Version, document.IngestedAt);
        }

        Interlocked.Increment(ref _changesSinceSnapshot);
    }

    public void Remove(string id)
    {
        lock (_held)
        {
            _index.Remove(id);
            _held.Remove(id);
        }

        Interlocked.Increment(ref _changesSinceSnapshot);
    }

    /// <summary>
    /// The one way the load state changes: <paramref name="change"/> applied to the current value and swapped in
    /// whole, again if another thread swapped first. The first value that is ready releases those waiting for it.
    /// </summary>
    public IndexProgress Update(Func<IndexProgress, IndexProgress> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            var current = Progress;
            var next = change(current);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _progress, next, current), current))
            {
                if (next.Ready)
                {
                    _loadedOnce.TrySetResult();
                }

                return next;
            }
        }
    }

    /// <summary>A snapshot shard's documents, as the snapshot holds them: not a change to write to the next one.</summary>
    public void Load(SnapshotShard shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        lock (_held)
        {
            _index.AddSegment(shard.Index);
            foreach (var document in shard.Documents)
            {
                _held[document.Id] = document;
            }
        }
    }

    /// <summary>Some documents as a snapshot shard: their part of the index and the versions it was built from.</summary>
    public SnapshotShard Export(IReadOnlyList<string> ids)
    {
        lock (_held)
        {
            return SnapshotShard.Of(_index.Export(ids), id => _held[id]);
        }
    }

    /// <summary>The version of every document held, as of now (a copy).</summary>
    public Dictionary<string, SnapshotDocument> Held()
    {
        lock (_held)
        {
            return new Dictionary<string, SnapshotDocument>(_held, StringComparer.Ordinal);
        }
    }

    /// <summary>The version held of one document, or null.</summary>
    public SnapshotDocument? HeldVersion(string id)
    {
        lock (_held)
        {
            return _held.GetValueOrDefault(id);
        }
    }

    /// <summary>Starts counting changes for the next snapshot again (one was just written, or loaded whole and current).</summary>
    public void SnapshotTaken() => Volatile.Write(ref _changesSinceSnapshot, 0);
}

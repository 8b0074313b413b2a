using DocServer.Core.Documents;
using DocServer.Core.Evidence;
using DocServer.Functions.Configuration;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Documents;

/// <summary>
/// This instance's search index over the shared document store. Storage is the truth; the index is a copy,
/// loaded after the app already listens (<see cref="IndexLoader"/>) and kept fresh in the background every
/// IndexRefreshInterval, loading only the documents that changed. A search never waits for storage: it answers
/// from what the index holds, or, before the first load is complete, refuses with <see cref="IndexNotReadyException"/>.
/// Changes made by this instance apply at once.
/// </summary>
internal sealed class DocumentIndex(DocumentStore store, IOptions<DocServerOptions> options, TimeProvider time)
{
    /// <summary>Chunk reads in flight while loading: one query per document, many at once.</summary>
    private const int LoadParallelism = 16;

    private readonly Bm25Index _index = new();
    private readonly Dictionary<string, DateTimeOffset> _loaded = new(StringComparer.Ordinal);
    private int _documentsToLoad;
    private int _documentsLoaded;
    private long _refreshedAt;
    private volatile bool _ready;

    public bool IsReady => _ready;

    /// <summary>What the index holds and how fresh it is, for /api/health.</summary>
    public IndexState State => new(
        _ready,
        Volatile.Read(ref _documentsLoaded),
        Volatile.Read(ref _documentsToLoad),
        _index.ChunkCount,
        Interlocked.Read(ref _refreshedAt) is var at and not 0 ? Math.Round(time.GetElapsedTime(at).TotalSeconds, 1) : null);

    public IReadOnlyList<SearchResult> Search(string query, int top) =>
        _ready ? _index.Search(query, top) : throw new IndexNotReadyException(Volatile.Read(ref _documentsLoaded), Volatile.Read(ref _documentsToLoad));

    public void Put(DocumentRecord document, IReadOnlyList<DocumentChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(document);
        _index.Add(document.Id, chunks);
        lock (_loaded)
        {
            _loaded[document.Id] = document.IngestedAt;
        }
    }

    public void Remove(string id)
    {
        _index.Remove(id);
        lock (_loaded)
        {
            _loaded.Remove(id);
        }
    }

    /// <summary>Brings the index up to the document list: drops the deleted, loads the new and the changed (in parallel).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var documents = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, DateTimeOffset> loaded;
        lock (_loaded)
        {
            loaded = new Dictionary<string, DateTimeOffset>(_loaded, StringComparer.Ordinal);
        }

        foreach (var gone in loaded.Keys.Except(documents.Select(d => d.Id)).ToList())
        {
            Remove(gone);
        }

        var changed = documents.Where(d => !loaded.TryGetValue(d.Id, out var at) || at != d.IngestedAt).ToList();
        Volatile.Write(ref _documentsToLoad, documents.Count);
        Volatile.Write(ref _documentsLoaded, documents.Count - changed.Count);
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken }, async (document, ct) =>
        {
            Put(document, await store.ChunksAsync(document, ct).ConfigureAwait(false));
            Interlocked.Increment(ref _documentsLoaded);
        }).ConfigureAwait(false);
        Interlocked.Exchange(ref _refreshedAt, time.GetTimestamp());
        _ready = true;
    }

    public TimeSpan RefreshInterval => options.Value.IndexRefreshInterval;
}

/// <summary>The index as /api/health reports it: ready, documents loaded of those listed, chunks, seconds since the last refresh.</summary>
internal sealed record IndexState(bool Ready, int DocumentsLoaded, int Documents, int Chunks, double? RefreshedSecondsAgo);

using DocServer.Core.Documents;
using DocServer.Core.Evidence;
using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;
using DocServer.Storage.Documents;

namespace DocServer.Functions.Documents;

/// <summary>
/// This instance's search index over the shared document store. Storage is the truth; the index is a
/// copy kept fresh by re-reading the document list at most every IndexRefreshInterval and loading only
/// the documents that changed, so every instance serves the same documents within that interval.
/// Changes made by this instance apply at once. While storage cannot be reached, searches answer from
/// what the index holds (and the refresh is tried again after the interval).
/// </summary>
internal sealed class DocumentIndex(DocumentStore store, IOptions<DocServerOptions> options, TimeProvider time, ILogger<DocumentIndex> logger) : IDisposable
{
    private readonly Bm25Index _index = new();
    private readonly Dictionary<string, DateTimeOffset> _loaded = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _lastRefresh = long.MinValue;

    public void Dispose() => _refresh.Dispose();

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int top, CancellationToken cancellationToken)
    {
        try
        {
            await RefreshIfStaleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Storage.StorageFailures.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The documents this instance holds still answer; the next search tries storage again.
            Interlocked.Exchange(ref _lastRefresh, time.GetTimestamp());
            Hosting.FunctionLog.IndexStale(logger, ex.Message);
        }

        return _index.Search(query, top);
    }

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

    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
    {
        if (_lastRefresh != long.MinValue && time.GetElapsedTime(Interlocked.Read(ref _lastRefresh)) < options.Value.IndexRefreshInterval)
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastRefresh != long.MinValue && time.GetElapsedTime(Interlocked.Read(ref _lastRefresh)) < options.Value.IndexRefreshInterval)
            {
                return;
            }

            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastRefresh, time.GetTimestamp());
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
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

        foreach (var document in documents.Where(d => !loaded.TryGetValue(d.Id, out var at) || at != d.IngestedAt))
        {
            Put(document, await store.ChunksAsync(document, cancellationToken).ConfigureAwait(false));
        }
    }
}

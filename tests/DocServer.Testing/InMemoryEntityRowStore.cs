using System.Globalization;
using DocServer.Core.Entities;
using DocServer.Storage.Entities;

namespace DocServer.Testing;

/// <summary>
/// The in-memory twin of <see cref="TableEntityRowStore"/> for fast unit tests and benchmarks: same
/// ETag semantics, checked by the same contract tests. Test support, not part of the app.
/// </summary>
public sealed class InMemoryEntityRowStore : IEntityRowStore
{
    private readonly Dictionary<EntityKey, VersionedRow> _rows = [];
    private readonly Lock _lock = new();
    private long _version;

    public Task<VersionedRow?> ReadAsync(EntityKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault(key));
        }
    }

    public Task<string?> TryInsertAsync(EntityKey key, string data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.ContainsKey(key) ? null : Store(key, data));
        }
    }

    public Task<string?> TryReplaceAsync(EntityKey key, string data, string etag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue(key, out var row) && row.ETag == etag ? Store(key, data) : null);
        }
    }

    /// <summary>Writes a row directly, as another program (or a damaged write) would.</summary>
    public void Put(EntityKey key, string data)
    {
        lock (_lock)
        {
            Store(key, data);
        }
    }

    private string Store(EntityKey key, string data)
    {
        var etag = $"W/\"{(++_version).ToString(CultureInfo.InvariantCulture)}\"";
        _rows[key] = new VersionedRow(data, etag);
        return etag;
    }
}

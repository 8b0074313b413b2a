using System.Collections.Concurrent;
using DocServer.Core.Entities;

namespace DocServer.Storage.Entities;

/// <summary>
/// Serial operations on shared rows by compare-and-swap: read, apply, write with If-Match; on a
/// conflict, back off with jitter and apply again to the fresh row. Only the run that was written
/// (or that changed nothing on a fresh read) is answered, so callers never act on a lost attempt.
/// </summary>
public sealed class EntityStore(IEntityRowStore rows, TimeProvider time, EntityStoreOptions? options = null) : IEntityStore
{
    private readonly EntityStoreOptions _options = options ?? new EntityStoreOptions();
    private readonly ConcurrentDictionary<EntityKey, VersionedRow> _lastSeen = new();

    public async Task<EntityUpdate<TResult>> UpdateAsync<TResult>(EntityKey key, Func<string?, EntityChange<TResult>> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var roundTrips = 0;
        var conflicts = 0;
        var useCache = _options.WriteFromCache;
        while (true)
        {
            // Take the cached row from TryGetValue itself: another update of this store may evict the key
            // (after losing a race) at any moment, so a second lookup could find nothing.
            VersionedRow? row = null;
            var fresh = !(useCache && _lastSeen.TryGetValue(key, out row));
            if (fresh)
            {
                row = await rows.ReadAsync(key, cancellationToken).ConfigureAwait(false);
                roundTrips++;
                Remember(key, row);
            }

            useCache = false;
            var change = apply(row?.Data);
            if (change.NewData is null)
            {
                if (fresh)
                {
                    return new EntityUpdate<TResult>(change.Result, false, roundTrips, conflicts);
                }

                // "Nothing to do" judged on a cached copy proves nothing; ask the store.
                continue;
            }

            var etag = row is null
                ? await rows.TryInsertAsync(key, change.NewData, cancellationToken).ConfigureAwait(false)
                : await rows.TryReplaceAsync(key, change.NewData, row.ETag, cancellationToken).ConfigureAwait(false);
            roundTrips++;
            if (etag is not null)
            {
                _lastSeen[key] = new VersionedRow(change.NewData, etag);
                return new EntityUpdate<TResult>(change.Result, true, roundTrips, conflicts);
            }

            conflicts++;
            _lastSeen.TryRemove(key, out _);
            if (conflicts >= _options.MaxConflicts)
            {
                throw new EntityConflictException(key, conflicts);
            }

            if (fresh)
            {
                await Task.Delay(Backoff(conflicts), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<string?> ReadAsync(EntityKey key, CancellationToken cancellationToken)
    {
        var row = await rows.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        Remember(key, row);
        return row?.Data;
    }

    private void Remember(EntityKey key, VersionedRow? row)
    {
        if (row is null)
        {
            _lastSeen.TryRemove(key, out _);
        }
        else
        {
            _lastSeen[key] = row;
        }
    }

    /// <summary>Full jitter: a random wait up to an exponentially growing cap, so contenders spread out.</summary>
    private TimeSpan Backoff(int conflicts)
    {
        var cap = _options.FirstBackoff * Math.Pow(2, Math.Min(conflicts - 1, 16));
        if (cap > _options.MaxBackoff)
        {
            cap = _options.MaxBackoff;
        }

        return cap * Random.Shared.NextDouble();
    }
}

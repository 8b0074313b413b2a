using DocServer.Core.Entities;

namespace DocServer.Benchmarks;

/// <summary>Counts what the gate asks of its store: committed operations, round trips, lost compare-and-swaps.</summary>
internal sealed class MeasuringEntityStore(IEntityStore inner) : IEntityStore
{
    private long _operations;
    private long _roundTrips;
    private long _conflicts;

    public long Operations => Interlocked.Read(ref _operations);

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public long Conflicts => Interlocked.Read(ref _conflicts);

    public async Task<EntityUpdate<TResult>> UpdateAsync<TResult>(EntityKey key, Func<string?, EntityChange<TResult>> apply, CancellationToken cancellationToken)
    {
        var update = await inner.UpdateAsync(key, apply, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _operations);
        Interlocked.Add(ref _roundTrips, update.RoundTrips);
        Interlocked.Add(ref _conflicts, update.Conflicts);
        return update;
    }

    public async Task<string?> ReadAsync(EntityKey key, CancellationToken cancellationToken)
    {
        var data = await inner.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _roundTrips);
        return data;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _operations, 0);
        Interlocked.Exchange(ref _roundTrips, 0);
        Interlocked.Exchange(ref _conflicts, 0);
    }
}

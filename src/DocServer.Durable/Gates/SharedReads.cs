namespace DocServer.Durable.Gates;

/// <summary>
/// At most one read per key in flight in this process: a caller that asks while a read of its key is running gets
/// that read's answer; a caller that asks after it ended starts a new one. Every caller waiting at a gate (forty asks,
/// each polling every few tens of milliseconds, each acquire and release reading for its answer) reads the same entity
/// state, so one read serves them all, and the storage account (Azurite: one thread) is not flooded with copies of it.
/// An answer is never older than the caller's question by more than one read: no answer is kept after its read ends.
/// </summary>
internal sealed class SharedReads<T>(Func<string, Task<T>> read)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task<T>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// The answer of the read of <paramref name="key"/> in flight, or of a new one. A caller that cancels stops waiting;
    /// the read goes on for the others (it is bounded by its client's own timeouts). A failed read fails every caller
    /// that shared it, and the next caller reads again.
    /// </summary>
    public Task<T> ReadAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        Task<T> shared;
        lock (_lock)
        {
            if (!_inFlight.TryGetValue(key, out shared!))
            {
                shared = RunAsync(key);
                _inFlight[key] = shared;
            }
        }

        return shared.WaitAsync(cancellationToken);
    }

    private async Task<T> RunAsync(string key)
    {
        try
        {
            // Off the caller's thread, so the read is registered (under the lock) before it can end and be removed.
            await Task.Yield();
            return await read(key).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight.Remove(key);
            }
        }
    }
}

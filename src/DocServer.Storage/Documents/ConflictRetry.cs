namespace DocServer.Storage.Documents;

/// <summary>
/// One way to retry a write that another writer beat (409/412): the write reads afresh on each attempt, after a
/// random pause so writers that collided do not collide again in lock step. A writer that keeps losing gives up
/// after <see cref="MaxAttempts"/> with a <see cref="ContendedWriteException"/> around the last conflict: an HTTP
/// caller hears "try again" (409), not a server error.
/// </summary>
internal static class ConflictRetry
{
    /// <summary>Concurrent ingests of one id each switch the row once; the log's sequence is shared by every id.</summary>
    public const int MaxAttempts = 20;

    public static async Task<T> RunAsync<T>(Func<Task<T>> write, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write().ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                if (attempt == MaxAttempts)
                {
                    throw new ContendedWriteException($"Other writes to the same document kept changing it first ({MaxAttempts} tries); nothing of this write was kept.", ex) { Attempts = attempt };
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 5))), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

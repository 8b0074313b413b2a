namespace DocServer.Core.Entities;

/// <summary>
/// Applies operations to one stored entity serially across every process that shares the store:
/// read, apply, write only if nobody wrote in between (ETag compare-and-swap), else apply again on
/// the fresh value. the operation may therefore run more than once; only the result of
/// the run that was committed is returned, and it must read the clock itself on every run.
/// </summary>
public interface IEntityStore
{
    Task<EntityUpdate<TResult>> UpdateAsync<TResult>(EntityKey key, Func<string?, EntityChange<TResult>> apply, CancellationToken cancellationToken);

    /// <summary>The stored text, or null when the entity has never been written. Never writes.</summary>
    Task<string?> ReadAsync(EntityKey key, CancellationToken cancellationToken);
}

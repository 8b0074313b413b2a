using DocServer.Core.Entities;

namespace DocServer.Storage.Entities;

/// <summary>
/// The storage primitives an <see cref="EntityStore"/> needs: read with ETag, insert if absent,
/// replace if the ETag still matches. Losing a race is a null answer, not an exception.
/// </summary>
public interface IEntityRowStore
{
    Task<VersionedRow?> ReadAsync(EntityKey key, CancellationToken cancellationToken);

    /// <summary>The new ETag, or null if a row with this key exists already.</summary>
    Task<string?> TryInsertAsync(EntityKey key, string data, CancellationToken cancellationToken);

    /// <summary>The new ETag, or null if the row changed since <paramref name="etag"/> or is gone.</summary>
    Task<string?> TryReplaceAsync(EntityKey key, string data, string etag, CancellationToken cancellationToken);
}

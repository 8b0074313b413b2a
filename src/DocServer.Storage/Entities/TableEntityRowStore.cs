using Azure;
using DocServer.Core.Entities;
using DocServer.Storage.Tables;

namespace DocServer.Storage.Entities;

/// <summary>
/// Entities as Table rows: PartitionKey = kind, RowKey = id, the text in <c>Data</c>, the kind
/// repeated in <c>Kind</c> so a row written by anything else is recognised and refused.
/// </summary>
public sealed class TableEntityRowStore(TableClient table) : IEntityRowStore
{
    internal const string DataProperty = "Data";
    internal const string KindProperty = "Kind";

    public async Task<VersionedRow?> ReadAsync(EntityKey key, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityAsync(key.Kind, key.Id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        if (row.GetString(KindProperty) != key.Kind || row.GetString(DataProperty) is not { } data)
        {
            throw new EntityRowException(
                $"Row {table.Name}({key.Kind},{key.Id}) is not a '{key.Kind}' entity (it needs string properties {KindProperty}='{key.Kind}' and {DataProperty}). It was left untouched.");
        }

        return new VersionedRow(data, row.ETag ?? throw new EntityRowException($"Row {table.Name}({key.Kind},{key.Id}) came back without an ETag."));
    }

    public async Task<string?> TryInsertAsync(EntityKey key, string data, CancellationToken cancellationToken)
    {
        try
        {
            return await table.AddEntityAsync(Row(key, data), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    public async Task<string?> TryReplaceAsync(EntityKey key, string data, string etag, CancellationToken cancellationToken)
    {
        try
        {
            return await table.UpdateEntityAsync(Row(key, data), etag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    private static TableEntity Row(EntityKey key, string data) => new(key.Kind, key.Id)
    {
        [KindProperty] = key.Kind,
        [DataProperty] = data,
    };
}

using Azure;
using Azure.Data.Tables;
using DocServer.Core.Entities;

namespace DocServer.Storage.Entities;

/// <summary>
/// Entities as Table rows: PartitionKey = kind, RowKey = id, the text in <c>Data</c>, the kind repeated
/// in <c>Kind</c> so a row written by anything else is recognised and refused. Writes go straight from
/// the caller's last ETag (no read first): replace with If-Match, or add for a new row. 412 and 404 on
/// replace, and 409 on add, are lost races the caller retries on fresh state; anything else is a failure.
/// </summary>
public sealed class TableEntityRowStore : IEntityRowStore
{
    internal const string DataProperty = "Data";
    internal const string KindProperty = "Kind";

    private readonly TableClient _table;

    public TableEntityRowStore(StorageClients clients, string tableName)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(tableName);
    }

    public string Name => _table.Name;

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<VersionedRow?> ReadAsync(EntityKey key, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(key.Kind, key.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var row = response.Value!;
        if (row.GetString(KindProperty) != key.Kind || row.GetString(DataProperty) is not { } data)
        {
            throw new EntityRowException(
                $"Row {_table.Name}({key.Kind},{key.Id}) is not a '{key.Kind}' entity (it needs string properties {KindProperty}='{key.Kind}' and {DataProperty}). It was left untouched.");
        }

        return new VersionedRow(data, row.ETag.ToString());
    }

    public async Task<string?> TryInsertAsync(EntityKey key, string data, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.AddEntityAsync(Row(key, data), cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString();
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
            var response = await _table.UpdateEntityAsync(Row(key, data), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString();
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

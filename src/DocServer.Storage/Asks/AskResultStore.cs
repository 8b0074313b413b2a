using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace DocServer.Storage.Asks;

/// <summary>
/// Asynchronous asks: a status row per ask (any instance can answer a poll) and, when done, the result in a
/// blob (an answer with its evidence can be larger than a table property allows).
/// </summary>
public sealed class AskResultStore
{
    private const string Partition = "ask";

    private readonly TableClient _rows;
    private readonly BlobContainerClient _results;

    public AskResultStore(StorageClients clients, string prefix)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _rows = clients.Table(prefix + "asks");
        _results = clients.Container(prefix + "-asks");
    }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_rows.CreateIfNotExistsAsync(cancellationToken), _results.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);

    public async Task StartAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await _rows.AddEntityAsync(new TableEntity(Partition, id) { ["Status"] = AskStatus.Running.ToText(), ["ExpiresAt"] = expiresAt }, cancellationToken).ConfigureAwait(false);

    /// <summary>The ask, or null when there is no such ask (or its result is gone).</summary>
    public async Task<AskRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await _rows.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        var record = new AskRecord(AskStatusText.Parse(row.GetString("Status")), row.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MaxValue, null, row.GetString("Error"));
        if (record.Status != AskStatus.Done)
        {
            return record;
        }

        try
        {
            var blob = await _results.GetBlobClient(id).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return record with { ResultJson = blob.Value.Content.ToString() };
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores the result first, then marks the ask done, so "done" always has a result to read.</summary>
    public async Task CompleteAsync(string id, string resultJson, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await _results.GetBlobClient(id).UploadAsync(
            BinaryData.FromString(resultJson),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken).ConfigureAwait(false);
        await _rows.UpsertEntityAsync(new TableEntity(Partition, id) { ["Status"] = AskStatus.Done.ToText(), ["ExpiresAt"] = expiresAt }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every ask whose result expired before <paramref name="now"/> (row and result); returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removed = 0;
        var expired = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ExpiresAt lt {now}");
        await foreach (var row in _rows.QueryAsync<TableEntity>(expired, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await _results.DeleteBlobIfExistsAsync(row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            await _rows.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
            removed++;
        }

        return removed;
    }

    public async Task FailAsync(string id, string error, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await _rows.UpsertEntityAsync(new TableEntity(Partition, id) { ["Status"] = AskStatus.Failed.ToText(), ["Error"] = error, ["ExpiresAt"] = expiresAt }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
}

using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// The content of each document version: its original as a blob (<c>{id}/{version}</c>) and its chunks as a partition
/// of the chunks table (<c>{id}@{version}</c>, written in transactions of up to 100 rows). A version is written whole
/// before any document row points to it, and removed once none does.
/// </summary>
internal sealed class DocumentVersions(TableClient chunks, BlobContainerClient originals)
{
    private const int TransactionLimit = 100;

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(chunks.CreateIfNotExistsAsync(cancellationToken), originals.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);

    public async Task WriteAsync(string id, string version, string content, string contentType, IReadOnlyList<DocumentChunk> documentChunks, CancellationToken cancellationToken)
    {
        await originals.GetBlobClient(BlobName(id, version)).UploadAsync(
            BinaryData.FromString(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType + "; charset=utf-8" } },
            cancellationToken).ConfigureAwait(false);
        var rows = documentChunks.Select(chunk => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(ChunkPartition(id, version), RowKey(chunk.Index))
        {
            ["Title"] = chunk.Title,
            ["Section"] = chunk.SectionTitle,
            ["Text"] = chunk.Text,
        }));
        await SubmitAsync(rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version's first <paramref name="count"/> chunks, in order.</summary>
    public async Task<IReadOnlyList<DocumentChunk>> ChunksAsync(string id, string? version, int count, CancellationToken cancellationToken)
    {
        var found = new List<DocumentChunk>();
        var partition = ChunkPartition(id, version);
        await foreach (var row in chunks.QueryAsync<TableEntity>(r => r.PartitionKey == partition, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var index = int.Parse(row.RowKey, CultureInfo.InvariantCulture);
            if (index < count)
            {
                found.Add(new DocumentChunk(id, index, row.GetString("Title"), row.GetString("Section"), row.GetString("Text") ?? string.Empty));
            }
        }

        return found;
    }

    /// <summary>The version's original text, or null when it is gone.</summary>
    public async Task<string?> OriginalAsync(string id, string? version, CancellationToken cancellationToken)
    {
        try
        {
            var download = await originals.GetBlobClient(BlobName(id, version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToString();
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task RemoveAsync(string id, string? version, CancellationToken cancellationToken)
    {
        var partition = ChunkPartition(id, version);
        var rows = new List<TableTransactionAction>();
        await foreach (var row in chunks.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
        }

        await SubmitAsync(rows, cancellationToken).ConfigureAwait(false);
        await originals.DeleteBlobIfExistsAsync(BlobName(id, version), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows of one version in transactions of up to 100 (the service's limit), in order.</summary>
    private async Task SubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in actions.Chunk(TransactionLimit))
        {
            await chunks.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    // A record without a version keeps its chunks and original under the bare id.
    private static string ChunkPartition(string id, string? version) => version is null ? id : $"{id}@{version}";

    private static string BlobName(string id, string? version) => version is null ? id : $"{id}/{version}";

    private static string RowKey(int index) => index.ToString("D6", CultureInfo.InvariantCulture);
}

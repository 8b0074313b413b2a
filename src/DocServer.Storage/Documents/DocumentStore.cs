using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// Documents in storage: the original in Blob storage, its chunks in the chunks table (partition =
/// document, written in transactions of up to 100 rows), and one row in the documents table that makes it
/// exist. Ingest writes the row last and delete removes it first, so a document is never half-visible,
/// and a failed request leaves any earlier version's row intact.
/// </summary>
public sealed class DocumentStore
{
    private const string Partition = "doc";
    private const int TransactionLimit = 100;

    private readonly TableClient _documents;
    private readonly TableClient _chunks;
    private readonly BlobContainerClient _originals;
    private readonly TimeProvider _time;

    public DocumentStore(StorageClients clients, string prefix, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _documents = clients.Table(prefix + "documents");
        _chunks = clients.Table(prefix + "chunks");
        _originals = clients.Container(prefix + "-originals");
        _time = time;
    }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(
            _documents.CreateIfNotExistsAsync(cancellationToken),
            _chunks.CreateIfNotExistsAsync(cancellationToken),
            _originals.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);

    public async Task<DocumentRecord> SaveAsync(string id, string title, string contentType, string content, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var previous = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        await _originals.GetBlobClient(id).UploadAsync(
            BinaryData.FromString(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType + "; charset=utf-8" } },
            cancellationToken).ConfigureAwait(false);
        var rows = chunks.Select(chunk => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(id, RowKey(chunk.Index))
        {
            ["Title"] = chunk.Title,
            ["Section"] = chunk.SectionTitle,
            ["Text"] = chunk.Text,
        }));
        await SubmitAsync(rows, cancellationToken).ConfigureAwait(false);

        var record = new DocumentRecord(id, title, contentType, _time.GetUtcNow(), chunks.Count, content.Length, null, null, null);
        await _documents.UpsertEntityAsync(Row(record), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

        // A re-ingested document with fewer chunks: drop the tail of the old version.
        var tail = Enumerable.Range(chunks.Count, Math.Max(0, (previous?.Chunks ?? 0) - chunks.Count))
            .Select(index => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(id, RowKey(index)), Azure.ETag.All));
        await SubmitAsync(tail, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<DocumentRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Record(row.Value!) : null;
    }

    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<DocumentRecord>();
        await foreach (var row in _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(Record(row));
        }

        return records;
    }

    public async Task<IReadOnlyList<DocumentChunk>> ChunksAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<DocumentChunk>();
        await foreach (var row in _chunks.QueryAsync<TableEntity>(r => r.PartitionKey == document.Id, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var index = int.Parse(row.RowKey, CultureInfo.InvariantCulture);
            if (index < document.Chunks)
            {
                chunks.Add(new DocumentChunk(document.Id, index, row.GetString("Title"), row.GetString("Section"), row.GetString("Text") ?? string.Empty));
            }
        }

        return chunks;
    }

    public async Task<string?> OriginalAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _originals.GetBlobClient(id).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToString();
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Removes the document (row first, so it disappears at once), then its chunks and original.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await _documents.DeleteEntityAsync(Partition, id, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
        if (deleted.Status == 404)
        {
            return false;
        }

        var rows = new List<TableTransactionAction>();
        await foreach (var row in _chunks.QueryAsync<TableEntity>(r => r.PartitionKey == id, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
        }

        await SubmitAsync(rows, cancellationToken).ConfigureAwait(false);
        await _originals.DeleteBlobIfExistsAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stores what background extraction found, without touching anything else of the document.</summary>
    public async Task<bool> SaveExtractionAsync(string id, string summary, IReadOnlyList<string> keywords, CancellationToken cancellationToken)
    {
        var found = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return false;
        }

        var row = found.Value!;
        row["Summary"] = summary;
        row["Keywords"] = string.Join('\n', keywords);
        row["ExtractedAt"] = _time.GetUtcNow();
        await _documents.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Rows of one document in transactions of up to 100 (the service's limit), in order.</summary>
    private async Task SubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in actions.Chunk(TransactionLimit))
        {
            await _chunks.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RowKey(int index) => index.ToString("D6", CultureInfo.InvariantCulture);

    private static TableEntity Row(DocumentRecord record) => new(Partition, record.Id)
    {
        ["Title"] = record.Title,
        ["ContentType"] = record.ContentType,
        ["IngestedAt"] = record.IngestedAt,
        ["Chunks"] = record.Chunks,
        ["Characters"] = record.Characters,
    };

    private static DocumentRecord Record(TableEntity row) => new(
        row.RowKey,
        row.GetString("Title") ?? row.RowKey,
        row.GetString("ContentType") ?? "text/plain",
        row.GetDateTimeOffset("IngestedAt") ?? DateTimeOffset.MinValue,
        row.GetInt32("Chunks") ?? 0,
        row.GetInt32("Characters") ?? 0,
        row.GetString("Summary"),
        row.GetString("Keywords")?.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        row.GetDateTimeOffset("ExtractedAt"));
}

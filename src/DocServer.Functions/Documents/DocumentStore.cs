using System.Globalization;
using System.Text;
using DocServer.Core.Documents;
using DocServer.Functions.Configuration;
using DocServer.Storage.Tables;

namespace DocServer.Functions.Documents;

/// <summary>
/// Documents in storage: the original in Blob storage, its chunks in the chunks table (partition =
/// document), and one row in the documents table that makes it exist. Ingest writes the row last and
/// delete removes it first, so a document is never half-visible, and a failed request leaves any
/// earlier version intact.
/// </summary>
internal sealed class DocumentStore(StorageResources storage, TimeProvider time)
{
    private const string Partition = "doc";

    public async Task<DocumentRecord> SaveAsync(string id, string title, string contentType, string content, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var previous = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        await storage.Originals.UploadAsync(id, BinaryData.FromString(content), contentType + "; charset=utf-8", cancellationToken).ConfigureAwait(false);
        foreach (var chunk in chunks)
        {
            await storage.Chunks.UpsertEntityAsync(new TableEntity(id, RowKey(chunk.Index))
            {
                ["Title"] = chunk.Title,
                ["Section"] = chunk.SectionTitle,
                ["Text"] = chunk.Text,
            }, cancellationToken).ConfigureAwait(false);
        }

        var record = new DocumentRecord(id, title, contentType, time.GetUtcNow(), chunks.Count, content.Length, null, null, null);
        await storage.Documents.UpsertEntityAsync(Row(record), cancellationToken).ConfigureAwait(false);

        // A re-ingested document with fewer chunks: drop the tail of the old version.
        for (var index = chunks.Count; index < (previous?.Chunks ?? 0); index++)
        {
            await storage.Chunks.DeleteEntityAsync(id, RowKey(index), "*", cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    public async Task<DocumentRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await storage.Documents.GetEntityAsync(Partition, id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : Record(row);
    }

    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<DocumentRecord>();
        await foreach (var row in storage.Documents.QueryAsync($"PartitionKey eq {TableKeys.Literal(Partition)}", 1000, cancellationToken).ConfigureAwait(false))
        {
            records.Add(Record(row));
        }

        return records;
    }

    public async Task<IReadOnlyList<DocumentChunk>> ChunksAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<DocumentChunk>();
        await foreach (var row in storage.Chunks.QueryAsync($"PartitionKey eq {TableKeys.Literal(document.Id)}", 1000, cancellationToken).ConfigureAwait(false))
        {
            var index = int.Parse(row.RowKey, CultureInfo.InvariantCulture);
            if (index < document.Chunks)
            {
                chunks.Add(new DocumentChunk(document.Id, index, row.GetString("Title"), row.GetString("Section"), row.GetString("Text") ?? string.Empty));
            }
        }

        return chunks;
    }

    public async Task<string?> OriginalAsync(string id, CancellationToken cancellationToken) =>
        (await storage.Originals.DownloadAsync(id, cancellationToken).ConfigureAwait(false))?.Data.ToString();

    /// <summary>Removes the document (row first, so it disappears at once), then its chunks and original.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var document = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return false;
        }

        await storage.Documents.DeleteEntityAsync(Partition, id, "*", cancellationToken).ConfigureAwait(false);
        await foreach (var row in storage.Chunks.QueryAsync($"PartitionKey eq {TableKeys.Literal(id)}", 1000, cancellationToken).ConfigureAwait(false))
        {
            await storage.Chunks.DeleteEntityAsync(id, row.RowKey, "*", cancellationToken).ConfigureAwait(false);
        }

        await storage.Originals.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stores what background extraction found, without touching anything else of the document.</summary>
    public async Task<bool> SaveExtractionAsync(string id, string summary, IReadOnlyList<string> keywords, CancellationToken cancellationToken)
    {
        var row = await storage.Documents.GetEntityAsync(Partition, id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        row["Summary"] = summary;
        row["Keywords"] = string.Join('\n', keywords);
        row["ExtractedAt"] = time.GetUtcNow();
        await storage.Documents.UpdateEntityAsync(row, row.ETag!, cancellationToken).ConfigureAwait(false);
        return true;
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
        row["IngestedAt"] as DateTimeOffset? ?? DateTimeOffset.MinValue,
        row["Chunks"] as int? ?? 0,
        row["Characters"] as int? ?? 0,
        row.GetString("Summary"),
        row.GetString("Keywords")?.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        row["ExtractedAt"] as DateTimeOffset?);
}

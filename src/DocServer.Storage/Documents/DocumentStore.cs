using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// Documents in storage: one row in the documents table makes a document exist and names its version; the
/// version's original is a blob (<c>{id}/{version}</c>) and its chunks a partition of the chunks table
/// (<c>{id}@{version}</c>, written in transactions of up to 100 rows). A new version is written beside the
/// old one, the row is switched to it with If-Match on the row's ETag, and only then is the old version
/// removed: a reader always sees one whole version, and an ingest that fails half-way removes what it wrote
/// and leaves the previous version as it was.
/// </summary>
public sealed class DocumentStore
{
    private const string Partition = "doc";
    private const int TransactionLimit = 100;

    /// <summary>Documents per import transaction: each brings its row and its log entry, and the sequence row is one more (≤ 100).</summary>
    private const int ImportBatch = (TransactionLimit - 1) / 2;

    /// <summary>Concurrent ingests of one id each switch the row once; a writer that keeps losing backs off and tries again.</summary>
    private const int MaxSwitchAttempts = 20;

    // The change log lives in the document partition, after every document id (ids are [a-z0-9-], '~' sorts after
    // them), so a row switch and its log entry commit in one transaction.
    private const string LogPrefix = "~log~";
    private const string SequenceRow = "~sequence";

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

    public async Task<DocumentRecord> SaveAsync(string id, string title, string contentType, string content, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken) =>
        await SwitchStagedAsync(await StageAsync(new DocumentImport(id, title, contentType, content, chunks), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Many documents at once (a folder of them, the scale benchmark's corpus): every original and chunk set is
    /// written first, then the rows are switched to them <see cref="ImportBatch"/> at a time, each batch's rows,
    /// change-log entries and one move of the sequence in one transaction, where <see cref="SaveAsync"/> takes a
    /// transaction (and a turn at the shared sequence) per document. A batch that meets a document that already
    /// exists, or another writer, is switched one document at a time instead, exactly as SaveAsync would.
    /// </summary>
    public async Task<IReadOnlyList<DocumentRecord>> ImportAsync(IReadOnlyList<DocumentImport> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count() != documents.Count)
        {
            throw new ArgumentException("An import names each document once.", nameof(documents));
        }

        var staged = new DocumentRecord?[documents.Count];
        var written = new List<DocumentRecord>(staged.Length);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, documents.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
                staged[i] = await StageAsync(documents[i], token).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var batch in staged.OfType<DocumentRecord>().Chunk(ImportBatch))
            {
                try
                {
                    written.AddRange(await SwitchNewAsync(batch, cancellationToken).ConfigureAwait(false));
                }
                catch (Azure.RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    foreach (var record in batch)
                    {
                        written.Add(await SwitchStagedAsync(record, cancellationToken).ConfigureAwait(false));
                    }
                }
            }
        }
        catch
        {
            // What was staged and not switched is referenced by nothing: take it away (a switched one is left alone).
            foreach (var record in staged.OfType<DocumentRecord>().Skip(written.Count))
            {
                await RemoveVersionQuietlyAsync(record.Id, record.Version).ConfigureAwait(false);
            }

            throw;
        }

        return written;
    }

    public async Task<DocumentRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Record(row.Value!) : null;
    }

    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<DocumentRecord>();
        await foreach (var row in DocumentRows(1000, cancellationToken).ConfigureAwait(false))
        {
            records.Add(Record(row));
        }

        return records;
    }

    /// <summary>The change log's last sequence: every document switch and delete so far has a number up to it.</summary>
    public async Task<long> SequenceAsync(CancellationToken cancellationToken) => (await CounterAsync(cancellationToken).ConfigureAwait(false)).Sequence;

    /// <summary>The change log after <paramref name="sequence"/>, in order: which documents were switched or deleted.</summary>
    public async Task<IReadOnlyList<DocumentChange>> ChangesAsync(long sequence, CancellationToken cancellationToken)
    {
        var after = LogRow(sequence);
        var end = LogPrefix + "~";
        var changes = new List<DocumentChange>();
        await foreach (var row in _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition && r.RowKey.CompareTo(after) > 0 && r.RowKey.CompareTo(end) < 0, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new DocumentChange(long.Parse(row.RowKey[LogPrefix.Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture), row.GetString("Id") ?? string.Empty, row.GetString("Version")));
        }

        return changes;
    }

    /// <summary>
    /// Deletes the change log's entries up to <paramref name="through"/>, never the newest entry: a follower that
    /// applied an older sequence then sees a gap before the first entry it reads (sequences have none otherwise) and
    /// knows to list everything instead. Returns how many were deleted; 100 per transaction.
    /// </summary>
    public async Task<int> TrimChangesAsync(long through, CancellationToken cancellationToken)
    {
        var newest = await SequenceAsync(cancellationToken).ConfigureAwait(false);
        var last = LogRow(Math.Min(through, newest - 1));
        var keys = new List<string>();
        await foreach (var row in _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition && r.RowKey.CompareTo(LogPrefix) > 0 && r.RowKey.CompareTo(last) <= 0, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
        }

        foreach (var batch in keys.Chunk(100))
        {
            try
            {
                await _documents.SubmitTransactionAsync([.. batch.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, key), Azure.ETag.All))], cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // Another trimmer took some of these first: the rest one by one (a missing row is not an error there).
                foreach (var key in batch)
                {
                    await _documents.DeleteEntityAsync(Partition, key, Azure.ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return keys.Count;
    }

    /// <summary>
    /// One page of the documents, in id order. <paramref name="continuation"/> is what the previous page returned
    /// (null for the first); the page's own is null when there are no more.
    /// </summary>
    public async Task<DocumentPage> ListPageAsync(int pageSize, PageContinuation? continuation, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await foreach (var page in DocumentRows(pageSize, cancellationToken).AsPages(continuation?.Token, pageSize).ConfigureAwait(false))
        {
            return new DocumentPage([.. page.Values.Select(Record)], page.ContinuationToken is { Length: > 0 } next ? new PageContinuation(next) : null);
        }

        return new DocumentPage([], null);
    }

    public async Task<IReadOnlyList<DocumentChunk>> ChunksAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<DocumentChunk>();
        var partition = ChunkPartition(document.Id, document.Version);
        await foreach (var row in _chunks.QueryAsync<TableEntity>(r => r.PartitionKey == partition, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var index = int.Parse(row.RowKey, CultureInfo.InvariantCulture);
            if (index < document.Chunks)
            {
                chunks.Add(new DocumentChunk(document.Id, index, row.GetString("Title"), row.GetString("Section"), row.GetString("Text") ?? string.Empty));
            }
        }

        return chunks;
    }

    public async Task<string?> OriginalAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            var download = await _originals.GetBlobClient(BlobName(document.Id, document.Version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToString();
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Removes the document (row first, so it disappears at once), then its version's chunks and original.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var document = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return false;
        }

        var deleted = await RetryOnConflictAsync(async () =>
        {
            try
            {
                await LogAsync(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, id), Azure.ETag.All), id, null, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            return false;
        }

        await RemoveVersionAsync(id, document.Version, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Stores what background extraction found for this version of the document, without touching anything
    /// else; false when the document is gone or is now another version (a re-ingest made it stale).
    /// </summary>
    public async Task<bool> SaveExtractionAsync(DocumentRecord extracted, string summary, IReadOnlyList<string> keywords, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extracted);
        var found = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, extracted.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue || found.Value!.GetString("Version") != extracted.Version)
        {
            return false;
        }

        var row = found.Value!;
        row["ExtractedVersion"] = extracted.Version;
        row["Summary"] = summary;
        row["Keywords"] = string.Join('\n', keywords);
        row["ExtractedAt"] = _time.GetUtcNow();
        await _documents.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Writes a new version beside whatever is there (its original, then its chunks): nothing refers to it until its
    /// row is switched. A failure removes what was written, then is thrown.
    /// </summary>
    private async Task<DocumentRecord> StageAsync(DocumentImport document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document.Chunks);
        var version = _time.GetUtcNow().UtcTicks.ToString("x16", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];
        var record = new DocumentRecord(document.Id, document.Title, document.ContentType, _time.GetUtcNow(), document.Chunks.Count, document.Content.Length, null, null, null, version);
        try
        {
            await _originals.GetBlobClient(BlobName(document.Id, version)).UploadAsync(
                BinaryData.FromString(document.Content),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = document.ContentType + "; charset=utf-8" } },
                cancellationToken).ConfigureAwait(false);
            var rows = document.Chunks.Select(chunk => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(ChunkPartition(document.Id, version), RowKey(chunk.Index))
            {
                ["Title"] = chunk.Title,
                ["Section"] = chunk.SectionTitle,
                ["Text"] = chunk.Text,
            }));
            await SubmitAsync(rows, cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch
        {
            await RemoveVersionQuietlyAsync(document.Id, version).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Switches the document's row to a staged version (see <see cref="SwitchAsync"/>), then removes the version it
    /// replaced, which nothing refers to any more and may fail to go harmlessly. If the switch fails, the staged
    /// version is removed instead (the row never pointed to it) and the failure is thrown.
    /// </summary>
    private async Task<DocumentRecord> SwitchStagedAsync(DocumentRecord staged, CancellationToken cancellationToken)
    {
        DocumentRecord? previous;
        DocumentRecord record;
        try
        {
            (previous, record) = await SwitchAsync(staged, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveVersionQuietlyAsync(staged.Id, staged.Version).ConfigureAwait(false);
            throw;
        }

        if (previous is not null)
        {
            await RemoveVersionQuietlyAsync(staged.Id, previous.Version).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>
    /// Adds the rows of documents that do not exist yet, with their change-log entries and the sequence moved past
    /// them, in one transaction: 409 when one of them exists, 412 when another writer moved the sequence first.
    /// </summary>
    private async Task<IReadOnlyList<DocumentRecord>> SwitchNewAsync(IReadOnlyList<DocumentRecord> batch, CancellationToken cancellationToken)
    {
        var (counter, last) = await CounterAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var written = batch.Select(r => r with { IngestedAt = now }).ToList();
        var next = new TableEntity(Partition, SequenceRow) { ["Sequence"] = last + written.Count };
        var actions = new List<TableTransactionAction>(1 + (2 * written.Count))
        {
            counter is not null ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.ETag) : new TableTransactionAction(TableTransactionActionType.Add, next),
        };
        for (var i = 0; i < written.Count; i++)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Row(written[i])));
            actions.Add(LogEntry(last + 1 + i, written[i].Id, written[i].Version, now));
        }

        await _documents.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>
    /// Points the document's row at the new version: add it if there is none, else replace it with If-Match on
    /// the ETag it was read with; a concurrent ingest of the same id makes it read again (the last one wins).
    /// IngestedAt is stamped here, one request before the row exists, so a reader that selects documents by it
    /// (the digest) never finds one stamped long before it could be seen. Returns the version it replaced and the
    /// record as written.
    /// </summary>
    private async Task<(DocumentRecord? Previous, DocumentRecord Written)> SwitchAsync(DocumentRecord record, CancellationToken cancellationToken)
    {
        return await RetryOnConflictAsync(async () =>
        {
            var current = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, record.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var written = record with { IngestedAt = _time.GetUtcNow() };

            // The row switch and its change-log entry are one transaction: a follower never sees one without the other.
            var row = current.HasValue
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, Row(written), current.Value!.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, Row(written));
            await LogAsync(row, record.Id, written.Version, cancellationToken).ConfigureAwait(false);
            return (current.HasValue ? Record(current.Value!) : null, written);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a logged write again while another writer (of this id, or of any id: the log's sequence is shared) got in
    /// first (409/412): each attempt reads afresh, after a random pause so writers that collided do not collide again
    /// in lock step.
    /// </summary>
    private async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write().ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxSwitchAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 5))), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(TableEntity? Row, long Sequence)> CounterAsync(CancellationToken cancellationToken)
    {
        var counter = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, SequenceRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return counter.HasValue ? (counter.Value!, counter.Value!.GetInt64("Sequence") ?? 0) : (null, 0);
    }

    /// <summary>The document rows (not the change log after them), in id order.</summary>
    private Azure.AsyncPageable<TableEntity> DocumentRows(int pageSize, CancellationToken cancellationToken) =>
        _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition && r.RowKey.CompareTo(LogPrefix) < 0, maxPerPage: pageSize, cancellationToken: cancellationToken);

    /// <summary>
    /// Commits <paramref name="change"/> (a document row's add, replace or delete) together with the next entry of the
    /// change log and the log's sequence row, in one transaction on the document partition. Throws 409/412 when another
    /// writer took the sequence or changed the row first.
    /// </summary>
    private async Task LogAsync(TableTransactionAction change, string id, string? version, CancellationToken cancellationToken)
    {
        var (counter, last) = await CounterAsync(cancellationToken).ConfigureAwait(false);
        var sequence = last + 1;
        var next = new TableEntity(Partition, SequenceRow) { ["Sequence"] = sequence };
        await _documents.SubmitTransactionAsync(
        [
            counter is not null ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.ETag) : new TableTransactionAction(TableTransactionActionType.Add, next),
            change,
            LogEntry(sequence, id, version, _time.GetUtcNow()),
        ], cancellationToken).ConfigureAwait(false);
    }

    private static TableTransactionAction LogEntry(long sequence, string id, string? version, DateTimeOffset at) =>
        new(TableTransactionActionType.Add, new TableEntity(Partition, LogRow(sequence)) { ["Id"] = id, ["Version"] = version, ["At"] = at });

    private async Task RemoveVersionAsync(string id, string? version, CancellationToken cancellationToken)
    {
        var partition = ChunkPartition(id, version);
        var rows = new List<TableTransactionAction>();
        await foreach (var row in _chunks.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
        }

        await SubmitAsync(rows, cancellationToken).ConfigureAwait(false);
        await _originals.DeleteBlobIfExistsAsync(BlobName(id, version), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Best effort, after a failed ingest: what cannot be removed now is an unreferenced version, never a visible one.</summary>
    private async Task RemoveVersionQuietlyAsync(string id, string? version)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if ((await GetAsync(id, limit.Token).ConfigureAwait(false))?.Version != version)
            {
                await RemoveVersionAsync(id, version, limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex) || ex is OperationCanceledException)
        {
            // Storage is still away: the original failure is what the caller hears about; the leftover is unreferenced.
        }
    }

    private static string ChunkPartition(string id, string? version) => version is null ? id : $"{id}@{version}";

    private static string BlobName(string id, string? version) => version is null ? id : $"{id}/{version}";

    /// <summary>Rows of one document in transactions of up to 100 (the service's limit), in order.</summary>
    private async Task SubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in actions.Chunk(TransactionLimit))
        {
            await _chunks.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RowKey(int index) => index.ToString("D6", CultureInfo.InvariantCulture);

    private static string LogRow(long sequence) => LogPrefix + sequence.ToString("x16", CultureInfo.InvariantCulture);

    private static TableEntity Row(DocumentRecord record) => new(Partition, record.Id)
    {
        ["Title"] = record.Title,
        ["ContentType"] = record.ContentType,
        ["IngestedAt"] = record.IngestedAt,
        ["Chunks"] = record.Chunks,
        ["Characters"] = record.Characters,
        ["Version"] = record.Version,
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
        row.GetDateTimeOffset("ExtractedAt"),
        row.GetString("Version"),
        row.GetString("ExtractedVersion"));
}

using System.Globalization;
using Azure.Data.Tables;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// Documents in storage: one row in the documents table makes a document exist and names its version, whose
/// original and chunks are <see cref="DocumentVersions"/>. A new version is written beside the old one, the row is
/// switched to it with If-Match on the row's ETag (with its <see cref="DocumentChangeLog"/> entry, in one
/// transaction), and only then is the old version removed: a reader always sees one whole version, and an ingest
/// that fails half-way removes what it wrote and leaves the previous version as it was.
/// </summary>
public sealed class DocumentStore
{
    private const string Partition = DocumentChangeLog.Partition;
    private const int TransactionLimit = 100;

    /// <summary>Documents per import transaction: each brings its row and its log entry, and the sequence row is one more (≤ 100).</summary>
    private const int ImportBatch = (TransactionLimit - 1) / 2;

    private readonly TableClient _documents;
    private readonly DocumentVersions _versions;
    private readonly TimeProvider _time;

    public DocumentStore(StorageClients clients, string prefix, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _documents = clients.Table(prefix + "documents");
        _versions = new DocumentVersions(clients.Table(prefix + "chunks"), clients.Container(prefix + "-originals"));
        _time = time;
        ChangeLog = new DocumentChangeLog(_documents, time);
    }

    /// <summary>Every switch and delete of a document, numbered, committed with the row change it records.</summary>
    public DocumentChangeLog ChangeLog { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(
            _documents.CreateIfNotExistsAsync(cancellationToken),
            _versions.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);

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
        return row.HasValue ? DocumentRow.ToRecord(row.Value!) : null;
    }

    public async Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<DocumentRecord>();
        await foreach (var row in DocumentRows(1000, cancellationToken).ConfigureAwait(false))
        {
            records.Add(DocumentRow.ToRecord(row));
        }

        return records;
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
            return new DocumentPage([.. page.Values.Select(DocumentRow.ToRecord)], page.ContinuationToken is { Length: > 0 } next ? new PageContinuation(next) : null);
        }

        return new DocumentPage([], null);
    }

    public async Task<IReadOnlyList<DocumentChunk>> ChunksAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return await _versions.ChunksAsync(document.Id, document.Version, document.Chunks, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> OriginalAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return await _versions.OriginalAsync(document.Id, document.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the document (row first, so it disappears at once), then its version's chunks and original.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var document = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return false;
        }

        var deleted = await ConflictRetry.RunAsync(async () =>
        {
            try
            {
                await ChangeLog.CommitAsync([(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, id), Azure.ETag.All), id, null)], cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                return false;
            }
        }, _time, cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            return false;
        }

        await _versions.RemoveAsync(id, document.Version, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Stores what background extraction found for this version of the document, without touching anything
    /// else; false when the document is gone or is now another version (a re-ingest made it stale).
    /// </summary>
    public async Task<bool> SaveExtractionAsync(DocumentRecord extracted, string summary, IReadOnlyList<string> keywords, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extracted);

        // A row changed between the read and the write (412) is read again: false if it is another version now.
        return await ConflictRetry.RunAsync(async () =>
        {
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
        }, _time, cancellationToken).ConfigureAwait(false);
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
            await _versions.WriteAsync(document.Id, version, document.Content, document.ContentType, document.Chunks, cancellationToken).ConfigureAwait(false);
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
        var now = _time.GetUtcNow();
        var written = batch.Select(r => r with { IngestedAt = now }).ToList();
        await ChangeLog.CommitAsync([.. written.Select(r => (new TableTransactionAction(TableTransactionActionType.Add, DocumentRow.From(r)), r.Id, r.Version))], cancellationToken).ConfigureAwait(false);
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
        return await ConflictRetry.RunAsync(async () =>
        {
            var current = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, record.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var written = record with { IngestedAt = _time.GetUtcNow() };

            // The row switch and its change-log entry are one transaction: a follower never sees one without the other.
            var row = current.HasValue
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, DocumentRow.From(written), current.Value!.ETag)
                : new TableTransactionAction(TableTransactionActionType.Add, DocumentRow.From(written));
            await ChangeLog.CommitAsync([(row, record.Id, written.Version)], cancellationToken).ConfigureAwait(false);
            return (current.HasValue ? DocumentRow.ToRecord(current.Value!) : null, written);
        }, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The document rows (not the change log after them), in id order.</summary>
    private Azure.AsyncPageable<TableEntity> DocumentRows(int pageSize, CancellationToken cancellationToken) =>
        _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition && r.RowKey.CompareTo(DocumentChangeLog.FirstKey) < 0, maxPerPage: pageSize, cancellationToken: cancellationToken);

    /// <summary>Best effort, after a failed ingest: what cannot be removed now is an unreferenced version, never a visible one.</summary>
    private async Task RemoveVersionQuietlyAsync(string id, string? version)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if ((await GetAsync(id, limit.Token).ConfigureAwait(false))?.Version != version)
            {
                await _versions.RemoveAsync(id, version, limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex) || ex is OperationCanceledException)
        {
            // Storage is still away: the original failure is what the caller hears about; the leftover is unreferenced.
        }
    }
}

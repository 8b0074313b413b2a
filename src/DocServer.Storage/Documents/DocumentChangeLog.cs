using System.Globalization;
using Azure.Data.Tables;

namespace DocServer.Storage.Documents;

/// <summary>
/// The documents' change log: every switch of a document's row to a new version, and every delete, commits in the
/// same transaction as a numbered entry (<c>~log~&lt;sequence&gt;</c>) and a move of the sequence row (<c>~sequence</c>).
/// It lives in the documents' partition, after every document id (ids are [a-z0-9-], '~' sorts after them), which is
/// what lets a row change and its entry commit together. A follower reads the entries after the sequence it applied.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never asked for holds nothing to dispose.")]
public sealed class DocumentChangeLog
{
    /// <summary>The partition of the document rows, and of the log beside them.</summary>
    internal const string Partition = "doc";

    /// <summary>Every row key from here on is the log's (entries, then the sequence row), never a document's.</summary>
    internal const string FirstKey = LogPrefix;

    private const string LogPrefix = "~log~";
    private const string SequenceRow = "~sequence";

    /// <summary>The service's limit on one transaction.</summary>
    private const int TransactionLimit = 100;

    private readonly TableClient _documents;
    private readonly TimeProvider _time;

    /// <summary>
    /// Commits from this instance take turns: they all move the one sequence row, so racing each other could only
    /// make all but one fail and retry (twenty ingests at once ran out of ConflictRetry's attempts). Only other
    /// instances still race for it, and ConflictRetry settles those.
    /// </summary>
    private readonly SemaphoreSlim _turn = new(1, 1);

    internal DocumentChangeLog(TableClient documents, TimeProvider time)
    {
        _documents = documents;
        _time = time;
    }

    /// <summary>The last sequence: every document switch and delete so far has a number up to it.</summary>
    public async Task<long> SequenceAsync(CancellationToken cancellationToken) => (await CounterAsync(cancellationToken).ConfigureAwait(false)).Sequence;

    /// <summary>The entries after <paramref name="sequence"/>, in order: which documents were switched or deleted.</summary>
    public async Task<IReadOnlyList<DocumentChange>> ChangesAsync(long sequence, CancellationToken cancellationToken)
    {
        var after = EntryKey(sequence);
        var end = LogPrefix + "~";
        var changes = new List<DocumentChange>();
        await foreach (var row in _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition && r.RowKey.CompareTo(after) > 0 && r.RowKey.CompareTo(end) < 0, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new DocumentChange(long.Parse(row.RowKey[LogPrefix.Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture), row.GetString("Id") ?? string.Empty, row.GetString("Version")));
        }

        return changes;
    }

    /// <summary>
    /// Deletes the entries up to <paramref name="through"/>, never the newest: a follower that applied an older
    /// sequence then sees a gap before the first entry it reads (sequences have none otherwise) and knows to list
    /// everything instead. Returns how many were deleted; 100 per transaction.
    /// </summary>
    public async Task<int> TrimAsync(long through, CancellationToken cancellationToken)
    {
        var newest = await SequenceAsync(cancellationToken).ConfigureAwait(false);
        var last = EntryKey(Math.Min(through, newest - 1));
        var keys = new List<string>();
        await foreach (var row in _documents.QueryAsync<TableEntity>(r => r.PartitionKey == Partition && r.RowKey.CompareTo(LogPrefix) > 0 && r.RowKey.CompareTo(last) <= 0, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
        }

        foreach (var batch in keys.Chunk(TransactionLimit))
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
    /// Commits <paramref name="changes"/> (document rows added, replaced or deleted) with an entry each, numbered on
    /// from the sequence, and the sequence moved past them, in one transaction on the documents' partition (so at most
    /// (100 - 1) / 2 changes). Throws 409/412 when another writer took the sequence or changed a row first.
    /// </summary>
    internal async Task CommitAsync(IReadOnlyList<(TableTransactionAction Row, string Id, string? Version)> changes, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CommitInTurnAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task CommitInTurnAsync(IReadOnlyList<(TableTransactionAction Row, string Id, string? Version)> changes, CancellationToken cancellationToken)
    {
        var (counter, last) = await CounterAsync(cancellationToken).ConfigureAwait(false);
        var next = new TableEntity(Partition, SequenceRow) { ["Sequence"] = last + changes.Count };
        var at = _time.GetUtcNow();
        var actions = new List<TableTransactionAction>(1 + (2 * changes.Count))
        {
            counter is not null ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.ETag) : new TableTransactionAction(TableTransactionActionType.Add, next),
        };
        for (var i = 0; i < changes.Count; i++)
        {
            actions.Add(changes[i].Row);
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(Partition, EntryKey(last + 1 + i)) { ["Id"] = changes[i].Id, ["Version"] = changes[i].Version, ["At"] = at }));
        }

        await _documents.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(TableEntity? Row, long Sequence)> CounterAsync(CancellationToken cancellationToken)
    {
        var counter = await _documents.GetEntityIfExistsAsync<TableEntity>(Partition, SequenceRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return counter.HasValue ? (counter.Value!, counter.Value!.GetInt64("Sequence") ?? 0) : (null, 0);
    }

    private static string EntryKey(long sequence) => LogPrefix + sequence.ToString("x16", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using DocServer.Functions.Extraction;
using DocServer.Storage.Tables;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Digests;

/// <summary>
/// The Digest function. A run covers documents ingested since the previous digest. Its window is
/// fixed when it starts (recorded in the state row, claimed with If-Match so two instances cannot both
/// start one), and each document's summary is checkpointed as it is made, so a failed or restarted run
/// resumes where it stopped and redoes nothing. Summaries already made by extraction are reused.
/// A run stops before a summary that could outlast the host's functionTimeout (<see cref="FunctionTimeoutRule"/>)
/// and leaves the rest to the next run, which resumes it.
/// </summary>
internal sealed class DigestService(
    StorageResources storage,
    DocumentStore documents,
    DocumentExtraction extraction,
    IOptions<DocServerOptions> options,
    IOptions<FunctionsHostOptions> host,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<DigestService> logger)
{
    private const string StatePartition = "state";
    private const string StateRow = "digest";

    /// <summary>Runs (or resumes) a digest; null when there was nothing new to digest.</summary>
    public async Task<Digest?> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var (runId, from, to) = await ClaimRunAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<DigestEntry>();
        var due = (await documents.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(d => d.IngestedAt > from && d.IngestedAt <= to)
            .OrderBy(d => d.IngestedAt)
            .ToList();
        foreach (var document in due)
        {
            var entry = await EntryAsync(runId, document, started, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                // Checkpointed so far; the run stays pending and the next invocation resumes it.
                DigestLog.StoppedShort(logger, runId, entries.Count, due.Count, host.Value.FunctionTimeout);
                return null;
            }

            entries.Add(entry);
        }

        Digest? digest = null;
        if (entries.Count > 0)
        {
            digest = new Digest(runId, from, to, time.GetUtcNow(), entries);
            await storage.DigestBlobs.UploadAsync(runId + ".json", BinaryData.FromString(JsonSerializer.Serialize(digest, json.Value.SerializerOptions)), "application/json", cancellationToken).ConfigureAwait(false);
            await storage.DigestBlobs.UploadAsync(runId + ".md", BinaryData.FromString(Markdown(digest)), "text/markdown; charset=utf-8", cancellationToken).ConfigureAwait(false);
        }

        await CompleteRunAsync(runId, to, digest is not null, cancellationToken).ConfigureAwait(false);
        DigestLog.Completed(logger, runId, entries.Count);
        return digest;
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var blob in storage.DigestBlobs.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                ids.Add(blob.Name[..^5]);
            }
        }

        return [.. ids.OrderDescending(StringComparer.Ordinal)];
    }

    public async Task<Digest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var blob = await storage.DigestBlobs.DownloadAsync(id + ".json", cancellationToken).ConfigureAwait(false);
        return blob?.Data.ToObjectFromJson<Digest>(json.Value.SerializerOptions);
    }

    public async Task<string?> GetMarkdownAsync(string id, CancellationToken cancellationToken) =>
        (await storage.DigestBlobs.DownloadAsync(id + ".md", cancellationToken).ConfigureAwait(false))?.Data.ToString();

    /// <summary>The document's entry; null when it needs a summary and there is no time left in this invocation for one.</summary>
    private async Task<DigestEntry?> EntryAsync(string runId, DocumentRecord document, long started, CancellationToken cancellationToken)
    {
        var checkpoint = await storage.DigestState.GetEntityAsync(runId, document.Id, cancellationToken).ConfigureAwait(false);
        if (checkpoint is not null)
        {
            return new DigestEntry(document.Id, document.Title, document.IngestedAt, checkpoint.GetString("Summary")!, checkpoint.GetString("Keywords")?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? []);
        }

        if (document.Summary is null && !FunctionTimeoutRule.CanStartStep(options.Value, host.Value.FunctionTimeout, time.GetElapsedTime(started)))
        {
            return null;
        }

        var summary = document.Summary is { } made
            ? new DocumentSummary(made, document.Keywords ?? [])
            : await extraction.SummariseAsync(document, cancellationToken).ConfigureAwait(false);
        await storage.DigestState.UpsertEntityAsync(new TableEntity(runId, document.Id)
        {
            ["Summary"] = summary.Summary,
            ["Keywords"] = string.Join('\n', summary.Keywords),
        }, cancellationToken).ConfigureAwait(false);
        return new DigestEntry(document.Id, document.Title, document.IngestedAt, summary.Summary, summary.Keywords);
    }

    /// <summary>The unfinished run if there is one, else a new run from the last cutoff to now.</summary>
    private async Task<(string RunId, DateTimeOffset From, DateTimeOffset To)> ClaimRunAsync(CancellationToken cancellationToken)
    {
        var state = await storage.DigestState.GetEntityAsync(StatePartition, StateRow, cancellationToken).ConfigureAwait(false);
        if (state?.GetString("PendingRun") is { } pending)
        {
            return (pending, (DateTimeOffset)state["PendingFrom"]!, (DateTimeOffset)state["PendingTo"]!);
        }

        var now = time.GetUtcNow();
        var from = state?["LastCutoff"] as DateTimeOffset? ?? DateTimeOffset.UnixEpoch;
        var runId = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var claim = new TableEntity(StatePartition, StateRow)
        {
            ["PendingRun"] = runId,
            ["PendingFrom"] = from,
            ["PendingTo"] = now,
            ["LastCutoff"] = from,
            ["Latest"] = state?.GetString("Latest"),
        };
        try
        {
            if (state is null)
            {
                await storage.DigestState.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await storage.DigestState.UpdateEntityAsync(claim, state.ETag!, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another instance claimed a run first: take that one.
            return await ClaimRunAsync(cancellationToken).ConfigureAwait(false);
        }

        return (runId, from, now);
    }

    private async Task CompleteRunAsync(string runId, DateTimeOffset to, bool written, CancellationToken cancellationToken)
    {
        var state = await storage.DigestState.GetEntityAsync(StatePartition, StateRow, cancellationToken).ConfigureAwait(false);
        if (state is null || state.GetString("PendingRun") != runId)
        {
            return;
        }

        var done = new TableEntity(StatePartition, StateRow)
        {
            ["LastCutoff"] = to,
            ["Latest"] = written ? runId : state.GetString("Latest"),
        };
        await storage.DigestState.UpdateEntityAsync(done, state.ETag!, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> LatestIdAsync(CancellationToken cancellationToken) =>
        (await storage.DigestState.GetEntityAsync(StatePartition, StateRow, cancellationToken).ConfigureAwait(false))?.GetString("Latest");

    private static string Markdown(Digest digest)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"# Digest {digest.To:yyyy-MM-dd HH:mm} UTC\n\n")
            .Append(CultureInfo.InvariantCulture, $"{digest.Documents.Count} document(s) added since {digest.From:yyyy-MM-dd HH:mm} UTC.\n");
        foreach (var entry in digest.Documents)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {entry.Title}\n\n{entry.Summary}\n");
            if (entry.Keywords.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nKeywords: {string.Join(", ", entry.Keywords)}\n");
            }
        }

        return text.ToString();
    }
}

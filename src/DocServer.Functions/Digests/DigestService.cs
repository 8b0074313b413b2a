using System.Globalization;
using System.Text;
using System.Text.Json;
using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using DocServer.Storage.Documents;
using DocServer.Functions.Extraction;
using DocServer.Storage.Digests;
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
    Storage.Digests.DigestStore digestStore,
    DocumentStore documents,
    DocumentExtraction extraction,
    IOptions<DocServerOptions> options,
    IOptions<FunctionsHostOptions> host,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<DigestService> logger)
{
    /// <summary>Claims lost in a row to other instances before a run gives up (each loss means another run started).</summary>
    private const int MaxClaimAttempts = 10;



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
            DigestEntry? entry;
            try
            {
                entry = await EntryAsync(runId, document, started, cancellationToken).ConfigureAwait(false);
            }
            catch (Core.Llm.EndpointUnavailableException ex)
            {
                // G13: the host is down; what is summarised is checkpointed, the next run catches up.
                DigestLog.Paused(logger, runId, entries.Count, due.Count, ex.Message);
                return null;
            }

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
            await digestStore.SaveDigestAsync(runId, JsonSerializer.Serialize(digest, json.Value.SerializerOptions), Markdown(digest), cancellationToken).ConfigureAwait(false);
        }

        await CompleteRunAsync(runId, to, digest is not null, cancellationToken).ConfigureAwait(false);
        DigestLog.Completed(logger, runId, entries.Count);
        return digest;
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => digestStore.ListIdsAsync(cancellationToken);

    public async Task<Digest?> GetAsync(string id, CancellationToken cancellationToken) =>
        await digestStore.GetJsonAsync(id, cancellationToken).ConfigureAwait(false) is { } text
            ? JsonSerializer.Deserialize<Digest>(text, json.Value.SerializerOptions)
            : null;

    public Task<string?> GetMarkdownAsync(string id, CancellationToken cancellationToken) => digestStore.GetMarkdownAsync(id, cancellationToken);

    /// <summary>The document's entry; null when it needs a summary and there is no time left in this invocation for one.</summary>
    private async Task<DigestEntry?> EntryAsync(string runId, DocumentRecord document, long started, CancellationToken cancellationToken)
    {
        if (await digestStore.GetCheckpointAsync(runId, document.Id, cancellationToken).ConfigureAwait(false) is { } checkpoint)
        {
            return new DigestEntry(document.Id, document.Title, document.IngestedAt, checkpoint.Summary, checkpoint.Keywords);
        }

        if (document.Summary is null && !FunctionTimeoutRule.CanStartStep(options.Value, host.Value.FunctionTimeout, time.GetElapsedTime(started)))
        {
            return null;
        }

        // A document not yet extracted (queued, deferred, or its message lost when storage failed right after
        // the ingest) is extracted here, so its summary is stored on it too and nothing stays unsummarised.
        var summary = document.Summary is { } made
            ? new DocumentSummary(made, document.Keywords ?? [])
            : await extraction.ExtractAsync(document, cancellationToken).ConfigureAwait(false);

        await digestStore.SaveCheckpointAsync(runId, document.Id, summary.Summary, summary.Keywords, cancellationToken).ConfigureAwait(false);
        return new DigestEntry(document.Id, document.Title, document.IngestedAt, summary.Summary, summary.Keywords);
    }

    /// <summary>The unfinished run if there is one, else a new run from the last cutoff to now.</summary>
    private async Task<(string RunId, DateTimeOffset From, DateTimeOffset To)> ClaimRunAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = await digestStore.GetStateAsync(cancellationToken).ConfigureAwait(false);
            if (state is { PendingRun: { } pending, PendingFrom: { } pendingFrom, PendingTo: { } pendingTo })
            {
                return (pending, pendingFrom, pendingTo);
            }

            var now = time.GetUtcNow();
            var from = state?.LastCutoff ?? DateTimeOffset.UnixEpoch;
            var to = now - options.Value.DigestCutoffLag;
            var runId = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var claim = new DigestRunState(runId, from, to, from, state?.Latest);
            if (await digestStore.TryWriteStateAsync(claim, state, cancellationToken).ConfigureAwait(false))
            {
                return (runId, from, to);
            }

            // Another instance claimed a run first: take that one, on a fresh read.
            if (attempt >= MaxClaimAttempts)
            {
                throw new InvalidOperationException($"The digest state changed under this run {attempt} times in a row; giving up until the next run.");
            }
        }
    }

    private async Task CompleteRunAsync(string runId, DateTimeOffset to, bool written, CancellationToken cancellationToken)
    {
        var state = await digestStore.GetStateAsync(cancellationToken).ConfigureAwait(false);
        if (state is null || state.PendingRun != runId)
        {
            return;
        }

        var done = new DigestRunState(null, null, null, to, written ? runId : state.Latest);
        await digestStore.TryWriteStateAsync(done, state, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> LatestIdAsync(CancellationToken cancellationToken) =>
        (await digestStore.GetStateAsync(cancellationToken).ConfigureAwait(false))?.Latest;

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

using System.Globalization;
using System.Text;
using System.Text.Json;
using DocServer.Durable;
using DocServer.Functions.Configuration;
using DocServer.Functions.Extraction;
using DocServer.Storage.Digests;
using DocServer.Storage.Documents;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Digests;

/// <summary>
/// Digests: the timer starts a <see cref="DigestOrchestrator"/> run per occurrence of its schedule; the run's
/// activities plan it (<see cref="PlanAsync"/>) and write it (<see cref="WriteAsync"/>); the API reads what was
/// written. A run covers the documents ingested since the previous run's cut-off, up to
/// <see cref="DocServerOptions.DigestCutoffLag"/> before it was planned (a document stamped just now may not be
/// listed yet, so it is left to the next run, never skipped).
/// </summary>
internal sealed class DigestService(
    DigestStore digestStore,
    DocumentStore documents,
    IDurableWork durable,
    IOptions<DocServerOptions> options,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<DigestService> logger)
{
    /// <summary>Claims lost in a row to other runs before a plan gives up (each loss means another run claimed a window).</summary>
    private const int MaxClaimAttempts = 10;

    /// <summary>What the digest lists for a document whose summary could not be made.</summary>
    public const string NoSummary = "(No summary: the model's replies for this document could not be used.)";

    /// <summary>The timer's work: the run of this occurrence, unless another instance's timer started it first.</summary>
    public async Task<string> StartAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var run = DigestRun.For(occurrence, System.Diagnostics.Activity.Current?.Id);
        var started = await durable.ScheduleAsync(DigestOrchestrator.Name, run.InstanceId, run, cancellationToken).ConfigureAwait(false);
        DigestLog.Started(logger, run.RunId, started);
        return run.InstanceId;
    }

    /// <summary>The run's window, claimed with If-Match (a re-run of this step gets the window it claimed), and what in it has no summary.</summary>
    public async Task<DigestPlan> PlanAsync(DigestRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (from, to) = await ClaimWindowAsync(run.RunId, cancellationToken).ConfigureAwait(false);
        var unsummarised = (await InWindowAsync(from, to, cancellationToken).ConfigureAwait(false))
            .Where(d => !d.IsExtracted)
            .Select(d => new ExtractionRequest(d.Id, d.Version!))
            .ToList();
        DigestLog.Planned(logger, run.RunId, from, to, unsummarised.Count);
        return new DigestPlan(run.RunId, from, to, unsummarised, run.TraceParent);
    }

    /// <summary>
    /// The digest of the window, from what the documents hold now: a document replaced since the plan was stamped
    /// after the window and is the next run's. Writing again (a re-run of this step) writes the same digest.
    /// </summary>
    public async Task<DigestResult> WriteAsync(DigestPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var due = await InWindowAsync(plan.From, plan.To, cancellationToken).ConfigureAwait(false);
        // A summary kept from an earlier version is not this version's: listed as missing, never as this one's.
        var entries = due.Select(d => d.IsExtracted
            ? new DigestEntry(d.Id, d.Title, d.IngestedAt, d.Summary!, d.Keywords ?? [])
            : new DigestEntry(d.Id, d.Title, d.IngestedAt, NoSummary, [])).ToList();
        if (entries.Count == 0)
        {
            DigestLog.Completed(logger, plan.RunId, 0);
            return new DigestResult(null, 0, 0);
        }

        var digest = new Digest(plan.RunId, plan.From, plan.To, time.GetUtcNow(), entries);
        await digestStore.SaveDigestAsync(plan.RunId, JsonSerializer.Serialize(digest, json.Value.SerializerOptions), Markdown(digest), cancellationToken).ConfigureAwait(false);
        await MarkLatestAsync(plan.RunId, cancellationToken).ConfigureAwait(false);
        DigestLog.Completed(logger, plan.RunId, entries.Count);
        return new DigestResult(plan.RunId, entries.Count, due.Count(d => !d.IsExtracted));
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => digestStore.ListIdsAsync(cancellationToken);

    public async Task<Digest?> GetAsync(string id, CancellationToken cancellationToken) =>
        await digestStore.GetJsonAsync(id, cancellationToken).ConfigureAwait(false) is { } text
            ? JsonSerializer.Deserialize<Digest>(text, json.Value.SerializerOptions)
            : null;

    public Task<string?> GetMarkdownAsync(string id, CancellationToken cancellationToken) => digestStore.GetMarkdownAsync(id, cancellationToken);

    public async Task<string?> LatestIdAsync(CancellationToken cancellationToken) =>
        (await digestStore.GetStateAsync(cancellationToken).ConfigureAwait(false))?.Latest;

    private async Task<List<DocumentRecord>> InWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await documents.ListAsync(cancellationToken).ConfigureAwait(false)).Where(d => d.IngestedAt > from && d.IngestedAt <= to).OrderBy(d => d.IngestedAt)];

    /// <summary>The window this run claimed before, or a new one from the last cut-off to now (less the lag).</summary>
    private async Task<(DateTimeOffset From, DateTimeOffset To)> ClaimWindowAsync(string runId, CancellationToken cancellationToken)
    {
        var state = await ChangeStateAsync(runId, state =>
        {
            if (state?.LastRun == runId)
            {
                return null;
            }

            var from = state?.LastCutoff ?? DateTimeOffset.UnixEpoch;
            var to = time.GetUtcNow() - options.Value.DigestCutoffLag;
            return new DigestRunState(runId, from, to > from ? to : from, state?.Latest);
        }, cancellationToken).ConfigureAwait(false);
        return (state!.LastFrom, state.LastCutoff);
    }

    /// <summary>Points "latest" at this digest unless a newer one is there already (runs can finish out of order).</summary>
    private async Task MarkLatestAsync(string runId, CancellationToken cancellationToken) =>
        await ChangeStateAsync(runId, state => state is null || string.CompareOrdinal(state.Latest, runId) >= 0 ? null : state with { Latest = runId }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The one compare-and-swap loop on the digest state row: <paramref name="change"/> gives the state to write from
    /// the state read (null: nothing to write), written with If-Match and tried again on a fresh read when another run
    /// wrote first. Answers the state as it now stands.
    /// </summary>
    private async Task<DigestRunState?> ChangeStateAsync(string runId, Func<DigestRunState?, DigestRunState?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
        {
            var state = await digestStore.GetStateAsync(cancellationToken).ConfigureAwait(false);
            if (change(state) is not { } next)
            {
                return state;
            }

            if (await digestStore.TryWriteStateAsync(next, state, cancellationToken).ConfigureAwait(false))
            {
                return next;
            }
        }

        throw new InvalidOperationException($"The digest state changed under run {runId} {MaxClaimAttempts} times in a row; its orchestration retries.");
    }

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

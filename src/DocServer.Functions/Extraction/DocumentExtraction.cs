using System.Text.Json;
using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Options;
using DocServer.Functions.Telemetry;

namespace DocServer.Functions.Extraction;

/// <summary>
/// Summary and keywords for one document version, through the background pool's gate (BACKGROUND, so asks go
/// first): the <see cref="SummariseActivity"/>'s work. A failure on a healthy host throws, so the orchestration's
/// retry policy decides; G13: a host that is down (or fails as a down host does) is an outcome, so the orchestration
/// waits a probe interval instead of spending an attempt.
/// </summary>
internal sealed class DocumentExtraction(
    DocumentStore store, GatedModelCalls calls, LanguageModels models, Prompts prompts, IOptions<DocServerOptions> options, ILogger<DocumentExtraction> logger)
{
    private const int MaxDocumentChars = 6000;

    public async Task<ExtractionResult> RunAsync(ExtractionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = await store.GetAsync(request.DocumentId, cancellationToken).ConfigureAwait(false);
        var done = Done(document, request);
        if (done is not null || document is null)
        {
            return new ExtractionResult(done ?? ExtractionOutcome.Deleted);
        }

        try
        {
            return new ExtractionResult(await SummariseAsync(document, request, cancellationToken).ConfigureAwait(false));
        }
        catch (EndpointUnavailableException ex)
        {
            ExtractionLog.Deferred(logger, document.Id, options.Value.ProbeInterval.TotalSeconds, ex.Message);
            return new ExtractionResult(ExtractionOutcome.HostDown, ex.Message);
        }
    }

    /// <summary>
    /// Why this version needs no summary now, or null when it does: deleted or replaced before its turn came (the new
    /// version has its own extraction; the wrong text is never summarised), or summarised already (a repeated run).
    /// </summary>
    private ExtractionOutcome? Done(DocumentRecord? document, ExtractionRequest request)
    {
        if (document is null)
        {
            ExtractionLog.Skipped(logger, request.DocumentId);
            return ExtractionOutcome.Deleted;
        }

        if (document.Version != request.Version)
        {
            ExtractionLog.Outdated(logger, document.Id, request.Version);
            return ExtractionOutcome.Outdated;
        }

        if (document.IsExtracted)
        {
            ExtractionLog.AlreadyExtracted(logger, document.Id, request.Version);
            return ExtractionOutcome.AlreadyExtracted;
        }

        return null;
    }

    /// <summary>Inside the lease, before it is given back: Outdated when the document changed meanwhile (a summary is never written onto another version).</summary>
    private async Task<ExtractionOutcome> SaveAsync(DocumentRecord document, string reply, CancellationToken cancellationToken)
    {
        var summary = Parse(reply) ?? throw new InvalidOperationException($"Summary of document '{document.Id}': the model's reply was not the JSON asked for (it will be retried).");
        if (await store.SaveExtractionAsync(document, summary.Summary, summary.Keywords, cancellationToken).ConfigureAwait(false))
        {
            ExtractionLog.Extracted(logger, document.Id, summary.Keywords.Count);
            return ExtractionOutcome.Extracted;
        }

        ExtractionLog.Outdated(logger, document.Id, document.Version ?? string.Empty);
        return ExtractionOutcome.Outdated;
    }

    /// <summary>
    /// One BACKGROUND model call, its summary kept inside the lease; throws <see cref="EndpointUnavailableException"/>
    /// when the host is down or fails as a down host does, and <see cref="InvalidOperationException"/> when it yields
    /// no summary otherwise.
    /// </summary>
    private async Task<ExtractionOutcome> SummariseAsync(DocumentRecord document, ExtractionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = await store.OriginalAsync(document, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        var prompt = prompts.DocumentSummary.Render(new Dictionary<string, string>
        {
            [Prompts.TitlePlaceholder] = document.Title,
            [Prompts.DigestDocumentPlaceholder] = text.Length > MaxDocumentChars ? text[..MaxDocumentChars] : text,
        });
        var pool = models.Pool(options.Value.BackgroundPool);
        var deadlines = options.Value.Deadlines(ModelCallKind.Summary);
        var call = deadlines.On(new LanguageModelRequest(prompt, 600) { Kind = ModelCallKind.Summary });
        // Inside the lease the document is read again just before the call: a second run of this activity, or a
        // digest's, granted after the first finds the summary and makes no call.
        ExtractionOutcome? outcome = null;
        var once = new KeepOnce(
            async token => (outcome = Done(await store.GetAsync(document.Id, token).ConfigureAwait(false), request)) is not null,
            async (reply, token) => outcome = await SaveAsync(document, reply, token).ConfigureAwait(false));
        // The orchestration's turn at the gate is claimed first; without one (gone, or claimed by an earlier run of
        // this activity) the call queues as any other, so a re-run never calls outside the gate.
        var place = GateRequest.WithGrant(request.Grant);
        var made = await calls.CompleteOnceAsync(pool, GatePriority.Background, options.Value.BackgroundWaitBudget, deadlines.Total, call, place, once, cancellationToken).ConfigureAwait(false);
        if (made.HostAtFault)
        {
            throw new EndpointUnavailableException(made.Endpoint ?? string.Join(",", pool.Endpoints), made.Detail);
        }

        if (made.Failure is not (ModelCallFailure.None or ModelCallFailure.AlreadyKept) || outcome is not { } kept)
        {
            throw new InvalidOperationException($"Summary of document '{document.Id}' not made: {made.Failure}, {made.Detail} (it will be retried).");
        }

        return kept;
    }

    /// <summary>The first JSON object in the reply with a non-empty "summary" (reasoning and fences skipped).</summary>
    private static DocumentSummary? Parse(string? reply)
    {
        foreach (var candidate in ModelReply.JsonObjects(reply ?? string.Empty))
        {
            try
            {
                using var json = JsonDocument.Parse(candidate);
                var summary = json.RootElement.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()!.Trim() : null;
                if (string.IsNullOrEmpty(summary))
                {
                    continue;
                }

                var keywords = json.RootElement.TryGetProperty("keywords", out var k) && k.ValueKind == JsonValueKind.Array
                    ? k.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim()).Where(w => w.Length > 0).Take(8).ToList()
                    : [];
                return new DocumentSummary(summary, keywords);
            }
            catch (JsonException)
            {
                // Not JSON after all (braces in prose): try the next candidate.
            }
        }

        return null;
    }
}

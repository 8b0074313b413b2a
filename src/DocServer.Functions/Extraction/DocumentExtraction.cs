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
/// The Extract function: summary and keywords for one document, through the background endpoint's
/// gate (BACKGROUND, so asks go first). A failure on a healthy host throws, so the queue retries the
/// message and parks it in the poison queue after maxDequeueCount attempts. G13: when the host is down
/// (or fails as a down host does), the work is deferred instead: a new message, visible after one
/// ProbeInterval, replaces this one, so no attempt is spent and nothing reaches the poison queue.
/// </summary>
internal sealed class DocumentExtraction(
    DocumentStore store, [FromKeyedServices(Hosting.FunctionNames.Extract)] Storage.Queues.QueuedWork extractQueue, GateClient gates, LanguageModels models, Prompts prompts, IOptions<DocServerOptions> options, ILogger<DocumentExtraction> logger)
{
    private const int MaxDocumentChars = 6000;

    public async Task<DocumentSummary?> RunAsync(string documentId, CancellationToken cancellationToken)
    {
        var document = await store.GetAsync(documentId.Trim().Trim('"'), cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            // Deleted before its turn came: nothing to do, and nothing to retry.
            ExtractionLog.Skipped(logger, documentId);
            return null;
        }

        if (document.IsExtracted)
        {
            // At-least-once delivery: this version was extracted already; no second model call.
            ExtractionLog.AlreadyExtracted(logger, document.Id, document.Version ?? "-");
            return new DocumentSummary(document.Summary!, document.Keywords ?? []);
        }

        try
        {
            return await ExtractAsync(document, cancellationToken).ConfigureAwait(false);
        }
        catch (EndpointUnavailableException ex)
        {
            await extractQueue.SendLaterAsync(TracedMessage.Wrap(document.Id), options.Value.ProbeInterval, cancellationToken).ConfigureAwait(false);
            ExtractionLog.Deferred(logger, document.Id, options.Value.ProbeInterval.TotalSeconds, ex.Message);
            return null;
        }
    }

    /// <summary>Summarises this version of the document and stores the summary on it (the Extract function, and the digest for a document not yet extracted).</summary>
    public async Task<DocumentSummary> ExtractAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        var summary = await SummariseAsync(document, cancellationToken).ConfigureAwait(false);
        if (await store.SaveExtractionAsync(document, summary.Summary, summary.Keywords, cancellationToken).ConfigureAwait(false))
        {
            ExtractionLog.Extracted(logger, document.Id, summary.Keywords.Count);
        }
        else
        {
            // Never written onto another version: the new one has its own extraction coming.
            ExtractionLog.Outdated(logger, document.Id, document.Version ?? string.Empty);
        }

        return summary;
    }

    /// <summary>
    /// One BACKGROUND model call; throws <see cref="EndpointUnavailableException"/> when the host is down or fails
    /// as a down host does, and <see cref="InvalidOperationException"/> when it yields no summary otherwise.
    /// </summary>
    private async Task<DocumentSummary> SummariseAsync(DocumentRecord document, CancellationToken cancellationToken)
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
        var request = deadlines.On(new LanguageModelRequest(prompt, 600) { Kind = ModelCallKind.Summary });
        var call = await gates.CompleteAsync(pool, GatePriority.Background, options.Value.BackgroundWaitBudget, deadlines.Total, request, null, cancellationToken).ConfigureAwait(false);
        var endpoint = call.Endpoint ?? string.Join(",", pool.Endpoints);
        if (call.Outcome is GateCallOutcome.EndpointDown or GateCallOutcome.HostFailed || (call.Outcome == GateCallOutcome.Stalled && gates.Health?.IsDown(endpoint) != false))
        {
            throw new EndpointUnavailableException(endpoint, call.Outcome.ToString());
        }

        if (call.Outcome != GateCallOutcome.Completed)
        {
            throw new InvalidOperationException($"Summary of document '{document.Id}' not made: {call.Outcome} (it will be retried).");
        }

        return Parse(call.Value) ?? throw new InvalidOperationException($"Summary of document '{document.Id}': the model's reply was not the JSON asked for (it will be retried).");
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

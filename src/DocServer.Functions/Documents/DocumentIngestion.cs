using System.Text.RegularExpressions;
using DocServer.Core.Documents;
using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;
using DocServer.Storage.Documents;
using DocServer.Durable;
using DocServer.Functions.Extraction;
using Polly;
using Polly.Retry;

namespace DocServer.Functions.Documents;

/// <summary>
/// Takes a document in: checks it, chunks it, stores it, indexes it, and queues its background
/// extraction (an orchestration per version). Checks come first, so a rejected document changes nothing that is stored.
/// </summary>
internal sealed partial class DocumentIngestion(
    DocumentStore store, DocumentIndex index, IDurableWork durable, IOptions<DocServerOptions> options, TimeProvider time, ILogger<DocumentIngestion> logger)
{
    /// <summary>
    /// Scheduling the extraction is tried again on failure (storage answering late under load, a blip): a stored
    /// version that is not scheduled has no summary until the catch-up timer finds it (minutes), which is worth a few
    /// seconds of the ingest. Three more tries, about 0.5, 1 and 2 s apart; each try is bounded by the hub client's own timeouts.
    /// </summary>
    private readonly ResiliencePipeline _schedule = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OutOfMemoryException),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = retry =>
            {
                ExtractionLog.ScheduleRetried(logger, retry.AttemptNumber + 1, retry.RetryDelay.TotalMilliseconds, retry.Outcome.Exception?.Message ?? "-");
                return default;
            },
        })
        .Build();

    /// <summary>The document, or the reason it was refused (for a 400).</summary>
    public async Task<(DocumentRecord? Document, string? Problem)> IngestAsync(string? id, string? title, string? content, string? contentType, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, "The document has no content: send non-empty \"content\" (JSON) or a non-empty file (multipart upload).");
        }

        if (content.Length > options.Value.MaxDocumentChars)
        {
            return (null, $"The document has {content.Length} characters; the limit is {options.Value.MaxDocumentChars} (DocServer:MaxDocumentChars). Split it.");
        }

        var kind = (contentType ?? "markdown").Trim().ToLowerInvariant() switch
        {
            "markdown" or "md" or "text/markdown" => "text/markdown",
            "text" or "txt" or "text/plain" => "text/plain",
            _ => null,
        };
        if (kind is null)
        {
            return (null, $"Unsupported contentType '{contentType}': use \"markdown\" or \"text\".");
        }

        id = string.IsNullOrWhiteSpace(id) ? Guid.NewGuid().ToString("N")[..12] : id.Trim();
        if (!IdPattern().IsMatch(id))
        {
            return (null, $"Document id '{id}' must be 1-63 lowercase letters, digits or '-', starting with a letter or digit.");
        }

        title = string.IsNullOrWhiteSpace(title) ? FirstLine(content) : title.Trim();
        var chunks = DocumentChunker.Chunk(id, title, content, kind == "text/markdown");
        var record = await store.SaveAsync(id, title, kind, content, chunks, cancellationToken).ConfigureAwait(false);
        index.Put(record, chunks);
        await ScheduleExtractionAsync(record, cancellationToken).ConfigureAwait(false);
        return (record, null);
    }

    /// <summary>
    /// Queues the new version's extraction. The document is stored and searchable by now, so a task hub that cannot
    /// take the orchestration after all tries (storage down since, a queue being re-created) does not turn the ingest
    /// into an error that says nothing was changed: the version waits for the catch-up timer (<see cref="ExtractionCatchUp"/>).
    /// </summary>
    private async Task ScheduleExtractionAsync(DocumentRecord record, CancellationToken cancellationToken)
    {
        var extraction = new ExtractionRequest(record.Id, record.Version!, System.Diagnostics.Activity.Current?.Id);
        try
        {
            // Scheduling is idempotent (the instance id is the version's), so a try whose answer was lost is harmless.
            await _schedule.ExecuteAsync(async token => await extraction.ScheduleAsync(durable, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ExtractionLog.NotScheduled(logger, ex, record.Id, record.Version!, Storage.StorageFailures.Describe(ex));
        }
    }

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private static string FirstLine(string content)
    {
        var line = content.TrimStart().Split('\n', 2)[0].TrimStart('#', ' ').Trim();
        return line.Length > 120 ? line[..120] : line;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();
}

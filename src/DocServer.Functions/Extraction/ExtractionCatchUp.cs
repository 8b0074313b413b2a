using DocServer.Durable;
using DocServer.Storage.Documents;

namespace DocServer.Functions.Extraction;

/// <summary>
/// The extraction timer's work: schedules the extraction of every stored version that has no summary and was never
/// scheduled (its ingest could not reach the task hub after storing it). Scheduling is once per version, so a version
/// whose extraction is pending, running, done or failed is left alone, and instances of the app running this at the
/// same time schedule each version once. Without it such a version waited for the next digest run, a day away.
/// A failed extraction's instance is purged with the others after <c>AsyncResultTtl</c> (GateSweep); its version, still
/// without a summary, is then scheduled once more: a model that gave no usable summary gets another go about hourly.
/// </summary>
internal sealed class ExtractionCatchUp(DocumentStore documents, IDurableWork durable, TimeProvider time, ILogger<ExtractionCatchUp> logger)
{
    /// <summary>
    /// A version ingested less than this ago is left to its ingest, which may still be trying to schedule it (four tries
    /// of two requests, each up to 2 s twice, about 35 s at worst). Without it, a run landing during an ingest found no
    /// instance yet and scheduled one too: the task hub dropped the second start as a duplicate, and the log said the
    /// ingest had not scheduled a version that it had (G3, with the catch-up every 20 s).
    /// </summary>
    public static readonly TimeSpan IngestGrace = TimeSpan.FromMinutes(1);

    /// <summary>How many extractions this run scheduled.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var scheduled = 0;
        var ingestedBefore = time.GetUtcNow() - IngestGrace;
        foreach (var document in await documents.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (document.IsExtracted || document.Version is not { } version || document.IngestedAt > ingestedBefore)
            {
                continue;
            }

            if (await new ExtractionRequest(document.Id, version).ScheduleAsync(durable, cancellationToken).ConfigureAwait(false))
            {
                ExtractionLog.CaughtUp(logger, document.Id, version);
                scheduled++;
            }
        }

        return scheduled;
    }
}

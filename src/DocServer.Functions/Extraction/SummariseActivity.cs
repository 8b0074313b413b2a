using DocServer.Functions.Hosting;
using Microsoft.DurableTask;

namespace DocServer.Functions.Extraction;

/// <summary>
/// The activity that calls the model: the document's summary through the background pool's gate (BACKGROUND, so
/// asks go first). The lease is taken, renewed and given back inside the activity, by the one wrapper for a gated
/// model call: an activity killed mid-call stops renewing, its lease runs out, and its re-run queues again, so a
/// re-run never calls the model outside the gate.
/// </summary>
internal sealed class SummariseActivity(DocumentExtraction extraction) : TaskActivity<ExtractionRequest, ExtractionResult>
{
    public const string Name = Hosting.FunctionNames.Summarise;

    public override Task<ExtractionResult> RunAsync(TaskActivityContext context, ExtractionRequest input) => RunAsync(input, CancellationToken.None);

    /// <summary>The activity's work, as the standalone worker and the Functions host's activity trigger both run it: a span linked to the ingest.</summary>
    public Task<ExtractionResult> RunAsync(ExtractionRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FunctionInvoker.TracedAsync(Name, input.TraceParent, () => extraction.RunAsync(input, cancellationToken), cancellationToken);
    }
}

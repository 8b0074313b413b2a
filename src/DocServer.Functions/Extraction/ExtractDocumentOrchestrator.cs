using Microsoft.DurableTask;

namespace DocServer.Functions.Extraction;

/// <summary>
/// The extraction of one document version (instance id <c>{id}@{version}</c>, scheduled by the ingest): its turn at
/// the background gate by push, the Summarise activity on it, the grant given back (<see cref="SummaryAttempts"/>). A
/// failure on a healthy host is tried again a bounded number of times and then fails the orchestration, its reason in
/// its status. G13: while the host is down the orchestration waits one probe interval on a durable timer and starts
/// over with a fresh history, as often as it takes: it never fails for an outage.
/// </summary>
internal sealed class ExtractDocumentOrchestrator(SummaryAttempts summaries, TimeSpan probeInterval) : TaskOrchestrator<ExtractionRequest, ExtractionResult>
{
    public const string Name = Hosting.FunctionNames.ExtractDocument;

    public override async Task<ExtractionResult> RunAsync(TaskOrchestrationContext context, ExtractionRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await summaries.RunAsync(context, input);
        if (result.Outcome != ExtractionOutcome.HostDown)
        {
            return result;
        }

        await HostDownWait.StartOverAfterAsync(context, probeInterval, result.Detail, input);
        return result;
    }
}

using DocServer.Functions.Extraction;
using Microsoft.DurableTask;

namespace DocServer.Functions.Digests;

/// <summary>
/// One digest run (instance id <c>digest-{occurrence}</c>, started by the digest timer): claim the window, summarise
/// what has no summary yet as extraction does (<see cref="SummaryAttempts"/>: a turn at the gate by push, then the Summarise activity), write the
/// digest. Resuming is replay: a run stopped by a crash or a deploy goes on from its history, and nothing it
/// finished is done again. G13: while the host is down it waits one probe interval on a durable timer and starts
/// over with a fresh history (the plan is claimed once, so it gets the same window, minus what was summarised).
/// </summary>
internal sealed class DigestOrchestrator(SummaryAttempts summaries, TimeSpan probeInterval, TimeSpan firstRetry) : TaskOrchestrator<DigestRun, DigestResult?>
{
    public const string Name = Hosting.FunctionNames.Digest;

    public override async Task<DigestResult?> RunAsync(TaskOrchestrationContext context, DigestRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(SummaryAttempts.Attempts, firstRetry, 2));
        var plan = await context.CallActivityAsync<DigestPlan>(PlanDigestActivity.Name, input, retry);
        foreach (var request in plan.ToSummarise)
        {
            ExtractionResult result;
            try
            {
                result = await summaries.RunAsync(context, request with { TraceParent = input.TraceParent });
            }
            catch (Exception ex) when (ex is TaskFailedException or GateBusyException)
            {
                // No summary on a healthy host after every attempt: the digest lists the document without one
                // rather than leaving it out of every digest (its window is this run's alone).
                continue;
            }

            if (result.Outcome == ExtractionOutcome.HostDown)
            {
                await HostDownWait.StartOverAfterAsync(context, probeInterval, result.Detail, input);
                return null;
            }
        }

        return await context.CallActivityAsync<DigestResult>(WriteDigestActivity.Name, plan, retry);
    }
}

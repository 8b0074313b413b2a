using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using Microsoft.DurableTask;

namespace DocServer.Functions.Extraction;

/// <summary>
/// The Summarise activity as the extraction and digest orchestrations run it: each attempt waits its turn at the
/// background pool's gates (BACKGROUND, so asks go first) by push, with a durable timer as the wait budget, runs the
/// activity on that grant and gives the grant back; a failure on a healthy host is tried again after a doubling
/// delay, up to <see cref="Attempts"/>. Nothing waits inside an activity, so no activity slot is held in a queue.
/// </summary>
internal sealed class SummaryAttempts(GateCatalog catalog, IReadOnlyList<string> pool, TimeSpan waitBudget, TimeSpan firstRetry)
{
    /// <summary>Attempts on a healthy host (a reply that was not the JSON asked for, a storage blip, a gate that stayed busy).</summary>
    public const int Attempts = 3;

    private readonly OrchestrationGate _gate = new(catalog);

    /// <summary>
    /// The activity's result (G13: <see cref="ExtractionOutcome.HostDown"/> is a result, not a failure); after the
    /// last failed attempt its failure is thrown (<see cref="TaskFailedException"/>, or <see cref="GateBusyException"/>).
    /// </summary>
    public async Task<ExtractionResult> RunAsync(TaskOrchestrationContext context, ExtractionRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var gated = pool.Where(catalog.IsGated).ToList();
        var delay = firstRetry;
        for (var attempt = 1; ; attempt++)
        {
            // G10: an ungated pool has no turn to wait for; the activity calls at once.
            var grant = gated.Count == 0 ? null : await _gate.AcquireAsync(context, gated, GatePriority.Background, waitBudget);
            try
            {
                if (gated.Count > 0 && grant is null)
                {
                    throw new GateBusyException($"The gates of {string.Join(", ", gated)} stayed busy for the background wait budget ({waitBudget}).");
                }

                return await context.CallActivityAsync<ExtractionResult>(SummariseActivity.Name, request with { Grant = grant });
            }
            catch (Exception ex) when (ex is TaskFailedException or GateBusyException && attempt < Attempts)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + delay, CancellationToken.None);
                delay *= 2;
            }
            finally
            {
                if (grant is not null)
                {
                    await OrchestrationGate.ReleaseAsync(context, grant);
                }
            }
        }
    }
}

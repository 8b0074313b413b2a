using Microsoft.DurableTask;

namespace DocServer.Functions.Extraction;

/// <summary>
/// G13 for an orchestration whose summary found the host down: say so in its status, wait one probe interval on a
/// durable timer, and start over with a fresh history (as often as it takes; an outage never fails it).
/// </summary>
internal static class HostDownWait
{
    public static async Task StartOverAfterAsync<TInput>(TaskOrchestrationContext context, TimeSpan probeInterval, string? detail, TInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetCustomStatus($"waiting for the host ({probeInterval.TotalSeconds:0.#} s): {detail}");
        await context.CreateTimer(context.CurrentUtcDateTime + probeInterval, CancellationToken.None);
        context.ContinueAsNew(input, preserveUnprocessedEvents: false);
    }
}

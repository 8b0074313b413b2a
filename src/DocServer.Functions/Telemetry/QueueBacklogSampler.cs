using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Telemetry;

/// <summary>
/// Reads the task hub's activity queue's approximate length (extractions and digest summaries waiting for a worker) every BacklogSampleInterval for the backlog gauge: a gauge's
/// callback runs inside the exporter's collection and must not wait on storage. While storage cannot be read
/// the last count goes stale and is no longer reported.
/// </summary>
internal sealed class QueueBacklogSampler(StorageResources storage, PipelineGauges gauges, IOptions<DocServerOptions> options, TimeProvider time, ILogger<QueueBacklogSampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BacklogSampleInterval;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var count = await storage.TaskHubWorkItems.ApproximateCountAsync(stoppingToken).ConfigureAwait(false);
                gauges.BacklogSampled(storage.TaskHubWorkItems.Name, count, time.GetUtcNow(), interval * 3);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                TelemetryLog.BacklogUnreadable(logger, ex, storage.TaskHubWorkItems.Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

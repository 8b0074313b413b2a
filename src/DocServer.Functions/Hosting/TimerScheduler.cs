using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;
using NCrontab;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Standalone only: fires the timer functions at their cron schedules (NCrontab with seconds, the
/// library the Functions host uses), through the same invoker the host's invocations use. A run that
/// fails is logged and the next occurrence fires as usual; a run still going when its next occurrence
/// comes is not started twice.
/// </summary>
internal sealed class TimerScheduler(FunctionInvoker invoker, IOptions<DocServerOptions> options, TimeProvider time, ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!DocServerHost.IsStandalone(options.Value))
        {
            return Task.CompletedTask;
        }

        var timers = $"Digest '{options.Value.DigestSchedule}', GateSweep '{options.Value.GateSweepSchedule}'";
        var queues = $"{options.Value.ExtractQueue}, {options.Value.AskQueue}";
        FunctionLog.Standalone(logger, timers, queues);
        return Task.WhenAll(
            RunAsync("Digest", options.Value.DigestSchedule, stoppingToken),
            RunAsync("GateSweep", options.Value.GateSweepSchedule, stoppingToken));
    }

    private async Task RunAsync(string function, string schedule, CancellationToken stoppingToken)
    {
        var cron = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(cron.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await LongDelay.UntilAsync(next, time, stoppingToken).ConfigureAwait(false);
                await invoker.InvokeAsync(function, null, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                FunctionLog.Failed(logger, ex, function);
            }
        }
    }
}

using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;
using NCrontab;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Standalone only: fires the timer functions at their cron schedules (NCrontab with seconds, the
/// library the Functions host uses), through the same invoker the host's invocations use. A run that
/// fails is logged and the next occurrence fires as usual; a run still going when its next occurrence
/// comes is not started twice. Each invocation gets the occurrence it fires for, so the processes of one app,
/// firing for the same occurrence, name the same digest run.
/// </summary>
internal sealed class TimerScheduler(FunctionInvoker invoker, StorageProvisioner provisioner, IOptions<DocServerOptions> options, TimeProvider time, ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!DocServerHost.IsStandalone(options.Value))
        {
            return Task.CompletedTask;
        }

        // The timers the [Function] methods declare, at the schedules their %settings% resolve to.
        var timers = FunctionCatalog.Timers.Select(t => (t.Name, Schedule: FlatSettings.Resolve(t.Schedule!, options.Value))).ToList();
        var described = string.Join(", ", timers.Select(t => $"{t.Name} '{t.Schedule}'"));
        FunctionLog.Standalone(logger, described);
        return Task.WhenAll(timers.Select(t => RunAsync(t.Name, t.Schedule, stoppingToken)));
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
                await invoker.InvokeAsync(function, next, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ErrorResponses.IsStorageOutage(ex))
            {
                FunctionLog.StorageDown(logger, function, Storage.StorageFailures.Describe(ex));
                provisioner.OutageSeen();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                FunctionLog.Failed(logger, ex, function);
            }
        }
    }
}

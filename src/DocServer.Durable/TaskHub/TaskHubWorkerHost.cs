using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DocServer.Durable.TaskHub;

/// <summary>
/// Runs the app's orchestrations, activities and entities standalone: DurableTask.Core's <see cref="TaskHubWorker"/>
/// on the task hub, with every class wrapped by the durabletask-dotnet shims. Several processes on one task hub share
/// the work as instances do in Azure (partition leases, competing work-item queues). Storage that is down at start
/// does not stop the app: the worker keeps trying in the background until it starts.
/// </summary>
public sealed partial class TaskHubWorkerHost(TaskHubService hub, DurableDefinitions definitions, TimeProvider time, ILoggerFactory loggerFactory) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);
    private readonly ILogger _logger = loggerFactory.CreateLogger<TaskHubWorkerHost>();
    private TaskHubWorker? _worker;

    /// <summary>Set once the worker runs: until then, no orchestration or entity work happens in this process.</summary>
    public bool IsStarted { get; private set; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_worker is { } worker)
        {
            // Not forced: work items in flight finish (or are abandoned to another worker) before the process goes.
            // One that takes longer than the host's shutdown timeout (an activity waiting its turn at the gate, storage
            // answering slowly) is left behind: its message comes back to the hub's other workers after the visibility
            // timeout, as after a crash, and the app still stops cleanly.
            try
            {
                await worker.StopAsync(isForced: false).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                StopTimedOut(_logger, hub.Options.HubName);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await hub.Service.CreateIfNotExistsAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                var worker = Build();

                // Known before it starts: an app stopped while its worker is starting stops the worker too, once its
                // start is done (TaskHubWorker.StopAsync waits for StartAsync). Left running, that worker would keep
                // renewing the hub's partition lease with nothing else of its app alive, and no other process could
                // take the partition and its gate entities (seen with an app host disposed during its start).
                _worker = worker;
                await worker.StartAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                IsStarted = true;
                Started(_logger, hub.Options.HubName, hub.Options.PartitionCount);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                StartFailed(_logger, ex, hub.Options.HubName, delay.TotalMilliseconds);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = delay * 2 < MaxRetry ? delay * 2 : MaxRetry;
            }
        }
    }

    private TaskHubWorker Build()
    {
        // Entity support on: orchestrations call the gate entities (OrchestrationGate), as under the host.
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { EnableEntitySupport = true }, loggerFactory);
        var orchestrations = new NamedObjects<TaskOrchestration>();
        var activities = new NamedObjects<TaskActivity>();
        var entities = new NamedObjects<DurableTask.Core.Entities.TaskEntity>();
        foreach (var (name, create) in definitions.Orchestrators)
        {
            // A fresh orchestrator per execution, as the Functions host makes one per invocation.
            orchestrations.Add(new NamedCreator<TaskOrchestration>(name, () => shims.CreateOrchestration(name, create())));
        }

        foreach (var (name, create) in definitions.Activities)
        {
            // One activity object: it keeps no state between calls.
            var activity = shims.CreateActivity(name, create());
            activities.Add(new NamedCreator<TaskActivity>(name, () => activity));
        }

        foreach (var (name, create) in definitions.Entities)
        {
            entities.Add(new NamedCreator<DurableTask.Core.Entities.TaskEntity>(name, () => new EntityBatchShim(name, shims, create)));
        }

        return new TaskHubWorker(hub.Service, orchestrations, activities, entities, loggerFactory);
    }

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Task hub {HubName} worker started ({PartitionCount} partitions)")]
    private static partial void Started(ILogger logger, string hubName, int partitionCount);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "Task hub {HubName} worker did not stop within the host's shutdown timeout: its work in flight goes back to the hub's other workers after the visibility timeout")]
    private static partial void StopTimedOut(ILogger logger, string hubName);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Task hub {HubName} worker could not start; trying again in {RetryMs} ms")]
    private static partial void StartFailed(ILogger logger, Exception exception, string hubName, double retryMs);
}

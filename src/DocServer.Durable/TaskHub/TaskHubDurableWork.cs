using Azure;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.History;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace DocServer.Durable.TaskHub;

/// <summary>
/// <see cref="IDurableWork"/> standalone: messages straight to the task hub's queues and reads from its tables, in
/// the formats the durabletask-dotnet shims read (inputs as that SDK's JSON), so the same classes run here and
/// under the Functions host.
/// </summary>
public sealed class TaskHubDurableWork(TaskHubService hub) : IDurableWork
{
    /// <summary>A second schedule of an instance in any of these states does nothing (a failed one is not retried by a duplicate).</summary>
    private static readonly OrchestrationStatus[] DedupeStatuses =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Canceled, OrchestrationStatus.Terminated, OrchestrationStatus.Suspended];

    private readonly DataConverter _json = JsonDataConverter.Default;

    public async Task<bool> ScheduleAsync(string orchestration, string instanceId, object? input, CancellationToken cancellationToken)
    {
        // Asked first because the provider's own dedupe let a second schedule of a completed instance through here
        // (ExtractionTests); the dedupe statuses still guard the race between two schedulers of a new instance.
        if (await GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        var started = new ExecutionStartedEvent(-1, _json.Serialize(input))
        {
            Name = orchestration,
            Version = string.Empty,
            OrchestrationInstance = instance,
        };
        try
        {
            await hub.Service.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, DedupeStatuses).WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public Task SignalEntityAsync(string entity, string key, string operation, object? input, CancellationToken cancellationToken)
    {
        var target = new OrchestrationInstance { InstanceId = new EntityId(entity, key).ToString() };
        var signal = ClientEntityHelpers.EmitOperationSignal(target, Guid.NewGuid(), operation, _json.Serialize(input), null);
        return hub.Service.SendTaskOrchestrationMessageAsync(signal.AsTaskMessage()).WaitAsync(cancellationToken);
    }

    public async Task<string?> ReadEntityStateAsync(string entity, string key, CancellationToken cancellationToken)
    {
        var queries = ((IEntityOrchestrationService)hub.Service).EntityBackendQueries!;
        try
        {
            return (await queries.GetEntityAsync(new EntityId(entity, key), true, false, cancellationToken).ConfigureAwait(false))?.SerializedState;
        }
        catch (Exception ex) when (ex.InnerException is RequestFailedException { ErrorCode: "BlobNotFound" })
        {
            // A large state lives in a blob the row points to; a write between our row read and blob read
            // replaced it. Read once more: the row now points to the new blob.
            return (await queries.GetEntityAsync(new EntityId(entity, key), true, false, cancellationToken).ConfigureAwait(false))?.SerializedState;
        }
    }

    public async Task<DurableInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var states = await hub.Service.GetOrchestrationStateAsync(instanceId, false).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (states is not { Count: > 0 } || states[0] is not { } state)
        {
            return null;
        }

        var status = state.OrchestrationStatus switch
        {
            OrchestrationStatus.Pending => DurableStatus.Pending,
            OrchestrationStatus.Running or OrchestrationStatus.ContinuedAsNew => DurableStatus.Running,
            OrchestrationStatus.Completed => DurableStatus.Completed,
            OrchestrationStatus.Failed => DurableStatus.Failed,
            OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => DurableStatus.Terminated,
            _ => DurableStatus.Other,
        };
        var failure = state.FailureDetails is { } details ? $"{details.ErrorType}: {details.ErrorMessage}" : status == DurableStatus.Failed ? state.Output : null;
        return new DurableInstance(instanceId, status, state.Input, status == DurableStatus.Completed ? state.Output : null, state.Status is null or "null" ? null : state.Status, failure, state.CreatedTime, state.LastUpdatedTime);
    }

    public async Task<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        var finished = new[] { OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled };
        var purged = await hub.Service.PurgeInstanceHistoryAsync(DateTime.MinValue, createdBefore.UtcDateTime, finished).WaitAsync(cancellationToken).ConfigureAwait(false);
        return purged.InstancesDeleted;
    }
}

using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Durable.Tests;

/// <summary>
/// Runs the gate entity as the task hub would (through durabletask-dotnet's shim, one batch of operations at a
/// time, state carried between batches as the serialized text) but with no backend: no storage, no queues.
/// </summary>
internal sealed class EntityBatch(GatePolicy policy, TimeProvider time)
{
    public const string Gate = "macmini";

    private readonly GateCatalog _catalog = new(new Dictionary<string, GatePolicy> { [Gate] = policy });

    public string? SerializedState { get; private set; }

    /// <summary>The signals the entity sent (to itself: reminders), with when they are due.</summary>
    public List<SendSignalOperationAction> Signals { get; } = [];

    public GateState Gate_ => GateStateJson.Deserialize(State?.Gate, Gate);

    public GateEntityState? State => SerializedState is null ? null : JsonDataConverter.Default.Deserialize<GateEntityState>(SerializedState);

    /// <summary>The orchestrations the entity started (the grant notifier).</summary>
    public List<StartNewOrchestrationOperationAction> Started { get; } = [];

    public async Task<TResult> ApplyAsync<TResult>(GateCommand<TResult> command, string? replyId = null, string? notify = null)
    {
        var result = await RunAsync(GateEntity.ApplyOperation, new GateCall(GateCommand.Serialize(command), replyId, notify));
        return command.ReadResult(JsonDataConverter.Default.Deserialize<string>(result)!);
    }

    public Task<string?> RemindAsync() => RunAsync(GateEntity.RemindOperation, null);

    private async Task<string?> RunAsync(string operation, object? input)
    {
        var entity = new GateEntity(_catalog, time, NullLogger<GateEntity>.Instance);
        var shim = DurableTaskShimFactory.Default.CreateEntity(GateEntity.Name, entity, new EntityId(GateEntity.Name, Gate));
        var batch = await shim.ExecuteOperationBatchAsync(new EntityBatchRequest
        {
            InstanceId = new EntityId(GateEntity.Name, Gate).ToString(),
            EntityState = SerializedState,
            Operations = [new OperationRequest { Operation = operation, Id = Guid.NewGuid(), Input = input is null ? null : JsonDataConverter.Default.Serialize(input) }],
        });
        var result = Assert.Single(batch.Results!);
        Assert.True(result.ErrorMessage is null && result.FailureDetails is null, $"{operation} failed: {result.FailureDetails?.ErrorMessage ?? result.ErrorMessage}");
        SerializedState = batch.EntityState;
        Signals.AddRange(batch.Actions!.OfType<SendSignalOperationAction>());
        Started.AddRange(batch.Actions!.OfType<StartNewOrchestrationOperationAction>());
        return result.Result;
    }
}

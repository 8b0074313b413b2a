using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;

namespace DocServer.Durable.TaskHub;

/// <summary>
/// An entity batch runs on a fresh entity object that knows its id: DurableTask.Core asks for an entity by name
/// only, so the durabletask-dotnet shim is made when the batch (which names the instance) arrives.
/// </summary>
internal sealed class EntityBatchShim(string name, DurableTaskShimFactory shims, Func<ITaskEntity> create) : TaskEntity
{
    public override Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return shims.CreateEntity(name, create(), EntityId.FromString(operations.InstanceId!)).ExecuteOperationBatchAsync(operations);
    }
}

using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace DocServer.Durable.TaskHub;

/// <summary>
/// The orchestrators, activities and entities a standalone task hub worker runs, by name, each made fresh per
/// work item (as the Functions host makes them per invocation).
/// </summary>
public sealed class DurableDefinitions
{
    public Dictionary<string, Func<ITaskOrchestrator>> Orchestrators { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Func<ITaskActivity>> Activities { get; } = new(StringComparer.Ordinal);

    /// <summary>Entity names are lower case (Durable Task lower-cases them).</summary>
    public Dictionary<string, Func<ITaskEntity>> Entities { get; } = new(StringComparer.Ordinal);
}

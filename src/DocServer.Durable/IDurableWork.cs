namespace DocServer.Durable;

/// <summary>
/// The little the app asks of Durable Task from outside an orchestration: schedule an orchestration once per
/// instance id, signal an entity, read an entity's state, read an instance's status. Under the Functions host
/// it is the host's <c>DurableTaskClient</c>; standalone, the task hub this process runs.
/// </summary>
public interface IDurableWork
{
    /// <summary>Starts <paramref name="orchestration"/> as <paramref name="instanceId"/>; false when that instance already exists (pending, running or done).</summary>
    Task<bool> ScheduleAsync(string orchestration, string instanceId, object? input, CancellationToken cancellationToken);

    /// <summary>Sends an operation to an entity without waiting for it to run.</summary>
    Task SignalEntityAsync(string entity, string key, string operation, object? input, CancellationToken cancellationToken);

    /// <summary>The entity's state as serialized JSON; null when the entity has none yet.</summary>
    Task<string?> ReadEntityStateAsync(string entity, string key, CancellationToken cancellationToken);

    /// <summary>An orchestration instance's status; null when there is no such instance.</summary>
    Task<DurableInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Deletes the history and state of finished instances created before <paramref name="createdBefore"/>; answers how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}

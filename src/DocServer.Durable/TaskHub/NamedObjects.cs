using System.Collections.Concurrent;
using DurableTask.Core;

namespace DocServer.Durable.TaskHub;

/// <summary>
/// The task hub worker's registry of orchestrations, activities or entities by the names callers schedule them by
/// (DurableTask.Core's own would name an activity instance after its type, the shim's, not after the activity).
/// </summary>
internal sealed class NamedObjects<T> : INameVersionObjectManager<T>
{
    private readonly ConcurrentDictionary<string, ObjectCreator<T>> _creators = new(StringComparer.OrdinalIgnoreCase);

    public void Add(ObjectCreator<T> creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (!_creators.TryAdd(creator.Name, creator))
        {
            throw new InvalidOperationException($"'{creator.Name}' is registered twice.");
        }
    }

    /// <summary>Null for a name nobody registered: DurableTask.Core then fails that work item, naming it.</summary>
    public T? GetObject(string name, string? version) => _creators.TryGetValue(name, out var creator) ? creator.Create() : default;
}

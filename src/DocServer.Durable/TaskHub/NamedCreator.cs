using DurableTask.Core;

namespace DocServer.Durable.TaskHub;

/// <summary>Hands DurableTask.Core an orchestration, activity or entity under the name callers use for it.</summary>
internal sealed class NamedCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public NamedCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        _create = create;
    }

    public override T Create() => _create();
}

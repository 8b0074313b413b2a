namespace DocServer.Core.Entities;

/// <summary>Names one persisted entity: its kind (a gate, say) and its id within that kind.</summary>
public readonly record struct EntityKey(string Kind, string Id)
{
    public override string ToString() => $"{Kind}/{Id}";
}

namespace DocServer.Core.Entities;

/// <summary>An update kept losing the compare-and-swap race and gave up; nothing it computed was written.</summary>
public sealed class EntityConflictException : Exception
{
    public EntityConflictException(EntityKey key, int conflicts)
        : base($"Entity {key}: gave up after {conflicts} concurrent-write conflicts in a row. Nothing was written; try again.")
    {
    }

    public EntityConflictException()
    {
    }

    public EntityConflictException(string message)
        : base(message)
    {
    }

    public EntityConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

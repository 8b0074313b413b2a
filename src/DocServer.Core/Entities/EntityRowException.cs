namespace DocServer.Core.Entities;

/// <summary>The stored row at an entity's key is not one of ours (foreign or damaged). It is never overwritten.</summary>
public sealed class EntityRowException : Exception
{
    public EntityRowException(string message)
        : base(message)
    {
    }

    public EntityRowException()
    {
    }

    public EntityRowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

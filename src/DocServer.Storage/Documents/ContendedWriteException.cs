namespace DocServer.Storage.Documents;

/// <summary>
/// A write that other writers kept beating to the same rows until <see cref="ConflictRetry"/> gave up: nothing of it
/// was kept, and the caller may simply try again. Not an outage, and not the caller's mistake.
/// </summary>
public sealed class ContendedWriteException : Exception
{
    public ContendedWriteException()
    {
    }

    public ContendedWriteException(string message)
        : base(message)
    {
    }

    public ContendedWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How many times the write was tried.</summary>
    public int Attempts { get; init; }
}

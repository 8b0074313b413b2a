namespace DocServer.Core.Gates;

/// <summary>
/// A stored gate row that this build cannot use: malformed, foreign, or written by a newer schema.
/// The row is left as it is; an operator has to look at it.
/// </summary>
public sealed class GateStateException : Exception
{
    public GateStateException(string message)
        : base(message)
    {
    }

    public GateStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GateStateException()
    {
    }
}

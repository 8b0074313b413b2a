namespace DocServer.Core.Gates;

/// <summary>G1: a call named a gate that is not configured. Never silently creates a second gate.</summary>
public sealed class UnknownGateException : Exception
{
    public UnknownGateException(string gate, IEnumerable<string> known)
        : base($"Unknown gate '{gate}'. Configured gates: {string.Join(", ", known.Order(StringComparer.Ordinal))}.")
    {
        Gate = gate;
    }

    public UnknownGateException()
    {
        Gate = string.Empty;
    }

    public UnknownGateException(string message)
        : base(message)
    {
        Gate = string.Empty;
    }

    public UnknownGateException(string message, Exception innerException)
        : base(message, innerException)
    {
        Gate = string.Empty;
    }

    public string Gate { get; }
}

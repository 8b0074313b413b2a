namespace DocServer.Core.Gates;

/// <summary>
/// The gate's store could not be reached (a storage outage, a network blip): nothing is known of the gate,
/// so no model is called. Callers with a fallback answer without the model (gate_unavailable).
/// </summary>
public sealed class GateUnavailableException : Exception
{
    public GateUnavailableException(string gate, Exception innerException, bool storeUnreachable)
        : base($"The store of gate '{gate}' could not be reached: {innerException?.Message}", innerException)
    {
        Gate = gate;
        StoreUnreachable = storeUnreachable;
    }

    public GateUnavailableException()
    {
        Gate = string.Empty;
    }

    public GateUnavailableException(string message)
        : base(message)
    {
        Gate = string.Empty;
    }

    public GateUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Gate = string.Empty;
    }

    public string Gate { get; }

    public bool StoreUnreachable { get; }
}

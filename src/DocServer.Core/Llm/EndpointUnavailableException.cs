namespace DocServer.Core.Llm;

/// <summary>
/// G13: background work could not reach its endpoint's host (known down, unreachable, stuck). Not a failure
/// of the work: it is deferred until the host is back, and does not count as a failed attempt.
/// </summary>
public sealed class EndpointUnavailableException : Exception
{
    public EndpointUnavailableException(string endpoint, string reason)
        : base($"Endpoint '{endpoint}' is unavailable ({reason}); the work is deferred until it is back.")
    {
        Endpoint = endpoint;
    }

    public EndpointUnavailableException()
    {
        Endpoint = string.Empty;
    }

    public EndpointUnavailableException(string message)
        : base(message)
    {
        Endpoint = string.Empty;
    }

    public EndpointUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = string.Empty;
    }

    public string Endpoint { get; }
}

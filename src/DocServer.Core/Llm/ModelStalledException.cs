namespace DocServer.Core.Llm;

/// <summary>
/// A streamed reply stopped coming: no first token within its deadline (the host is stuck, asleep or behind
/// a dead tunnel), or no next chunk within the idle timeout. A reply that keeps producing is never this.
/// </summary>
public sealed class ModelStalledException : TimeoutException
{
    public ModelStalledException(string endpoint, bool beforeFirstToken, TimeSpan deadline)
        : base(beforeFirstToken
            ? $"Endpoint '{endpoint}' sent no first token within {deadline.TotalSeconds:F1} s."
            : $"Endpoint '{endpoint}' stopped sending for {deadline.TotalSeconds:F1} s in the middle of its reply.")
    {
        Endpoint = endpoint;
        BeforeFirstToken = beforeFirstToken;
    }

    public ModelStalledException()
    {
        Endpoint = string.Empty;
    }

    public ModelStalledException(string message)
        : base(message)
    {
        Endpoint = string.Empty;
    }

    public ModelStalledException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = string.Empty;
    }

    public string Endpoint { get; }

    public bool BeforeFirstToken { get; }
}

namespace DocServer.Llm.Mlx;

/// <summary>
/// One MLX host: its name (also its gate's name, G1), the OpenAI-compatible base URL (ending in /v1,
/// as <c>mlx_lm.server</c> serves it), the model to ask for, and an optional API key for a proxy in front.
/// </summary>
public sealed record MlxEndpoint(string Name, Uri Url, string Model, string? ApiKey = null)
{
    /// <summary>
    /// The HTTP client's own limit. The LLM timeout (30 s, counted from the gate grant) normally fires
    /// first; this only catches a connection that hangs without ever answering.
    /// </summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public MlxEndpoint Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("An MLX endpoint needs a Name.", nameof(Name));
        }

        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"MLX endpoint '{Name}': Url must be an absolute http(s) URL such as http://macmini.local:8080/v1.", nameof(Url));
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException($"MLX endpoint '{Name}': Model must name the model the server has loaded.", nameof(Model));
        }

        return this;
    }
}

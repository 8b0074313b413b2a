namespace DocServer.Functions.Configuration;

/// <summary>One LLM endpoint (an MLX host, or an ungated cloud fallback) and its gate's settings.</summary>
internal sealed class EndpointOptions
{
    /// <summary>OpenAI-compatible base URL, e.g. http://macmini.local:8080/v1.</summary>
    public string Url { get; set; } = string.Empty;

    public string Model { get; set; } = string.Empty;

    /// <summary>For a proxy in front of the host. Empty means "not set", as for every optional setting.</summary>
    public string? ApiKey
    {
        get;
        set => field = string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>G10: false for a backend that is not single-inference (a cloud model): no gate.</summary>
    public bool Gated { get; set; } = true;

    /// <summary>G3: concurrent calls the host can take; 1 for MLX.</summary>
    public int Capacity { get; set; } = 1;

    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan WaiterTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>G8: when set, a background waiter this old is dispatched as foreground.</summary>
    public TimeSpan? AgingAfter { get; set; }
}

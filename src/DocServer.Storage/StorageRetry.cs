using Azure.Core;

namespace DocServer.Storage;

/// <summary>
/// How hard one path tries a storage request: the SDKs' own retry (exponential, with jitter), chosen per
/// path rather than inherited (their default is 3 retries with a 100 s network timeout).
/// </summary>
public sealed record StorageRetry(TimeSpan NetworkTimeout, int MaxRetries, TimeSpan Delay)
{
    /// <summary>Sets <paramref name="options"/>' retry to this one; answers them, for building a client in one expression.</summary>
    public T Apply<T>(T options)
        where T : ClientOptions
    {
        ApplyTo(options);
        return options;
    }

    internal void ApplyTo(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = NetworkTimeout;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = Delay;
        options.Retry.MaxDelay = Delay * 8;
        options.Diagnostics.IsLoggingContentEnabled = false;
    }
}

using Azure.Core;

namespace DocServer.Storage;

/// <summary>Azure.Core client options (retries, transport, diagnostics) shared by our storage clients.</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        // Gate operations are small and latency-sensitive: fail over to a retry sooner than the 100 s default.
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        Diagnostics.IsLoggingContentEnabled = false;
    }
}

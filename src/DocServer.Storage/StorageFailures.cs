using Azure;

namespace DocServer.Storage;

/// <summary>
/// Tells a storage outage (unreachable, timed out, throttled, a 5xx, even after the SDK's retries) from a
/// request storage refused for what it was. The app degrades on the first and reports the second.
/// </summary>
public static class StorageFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        // The SDKs wrap transport failures (refused, reset, DNS) as status 0.
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        // What the SDK's retry policy throws once every try has failed.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        // The SDK's network timeout surfaces as a cancellation with a TimeoutException inside.
        TaskCanceledException canceled => canceled.InnerException is TimeoutException,
        _ => false,
    };
}

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
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        HttpRequestException or System.Net.Sockets.SocketException or IOException or TimeoutException => true,
        // The SDK's network timeout surfaces as a cancellation the caller did not ask for.
        TaskCanceledException canceled => canceled.InnerException is TimeoutException || !canceled.CancellationToken.IsCancellationRequested,
        _ => false,
    };
}

using Azure;

namespace DocServer.Storage;

/// <summary>
/// Tells a storage outage (unreachable, timed out, throttled, a 5xx, even after the SDK's retries) from a
/// request storage refused for what it was. The app degrades on the first and reports the second. A table,
/// container or queue of ours that is missing (a new or restored account, an emulator that lost its data) is an
/// outage too, until it is created again (<see cref="IsMissing"/>).
/// </summary>
public static class StorageFailures
{
    /// <summary>How Azure.Core words the end of a try by its network timeout (checked against the real SDK in StorageFailuresTests).</summary>
    private const string NetworkTimeoutMessage = "exceeded the configured timeout";

    private static readonly HashSet<string> MissingResourceCodes = new(StringComparer.Ordinal) { "TableNotFound", "ContainerNotFound", "QueueNotFound" };

    public static bool IsUnavailable(Exception exception) => exception switch
    {
        // The SDKs wrap transport failures (refused, reset, DNS) as status 0. A 404 without a storage error code is
        // not a storage service answering (a wrong endpoint, a proxy, another server on the port): unreachable too.
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500 || IsMissing(failed) || (failed.Status == 404 && string.IsNullOrEmpty(failed.ErrorCode)),
        // What the SDK's retry policy throws once every try has failed.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        // A request that storage took and did not answer in time: HttpClient's own timeout puts a TimeoutException
        // inside the cancellation; the SDKs' per-try network timeout (ClientOptions.Retry.NetworkTimeout, which is what
        // ends our tries) only says so in its message. A cancellation with neither is the caller's own.
        TaskCanceledException canceled => IsTimeout(canceled),
        // A library over the SDKs (the task hub's) wraps what the SDK threw.
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };

    /// <summary>True when a table, container or queue itself is gone (not a row, blob or message in it).</summary>
    public static bool IsMissing(Exception exception) => exception switch
    {
        RequestFailedException { Status: 404, ErrorCode: { } code } => MissingResourceCodes.Contains(code),
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsMissing),
        _ => exception.InnerException is { } inner && IsMissing(inner),
    };

    /// <summary>One line a person can read: the service's error code and status, not its whole XML reply.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        null => string.Empty,
        RequestFailedException { ErrorCode: { Length: > 0 } code } failed => $"{code} ({failed.Status}): {FirstLine(failed.Message)}",
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Describe(aggregate.InnerExceptions[^1]),
        _ when exception.InnerException is RequestFailedException inner => Describe(inner),
        TaskCanceledException canceled when IsTimeout(canceled) => "it took the request and did not answer in time",
        _ => FirstLine(exception.GetBaseException().Message),
    };

    private static bool IsTimeout(TaskCanceledException canceled) =>
        canceled.InnerException is TimeoutException || canceled.Message.Contains(NetworkTimeoutMessage, StringComparison.Ordinal);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

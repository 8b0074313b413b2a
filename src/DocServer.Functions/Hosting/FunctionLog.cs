namespace DocServer.Functions.Hosting;

internal static partial class FunctionLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "function {Function} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "queue {Queue} message {MessageId} failed {DequeueCount} time(s); moved to {Poison}")]
    public static partial void Poisoned(ILogger logger, string queue, string messageId, long dequeueCount, string poison);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "standalone mode: timers {Timers} and queue {Queue} run in this process")]
    public static partial void Standalone(ILogger logger, string timers, string queue);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "function {Function} attempt {Attempt} of {MaxAttempts} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string function, long attempt, int maxAttempts, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "queue {Queue} message {MessageId} was taken back while it ran (its visibility lapsed); its work is done and not repeated here")]
    public static partial void MessageLost(ILogger logger, string queue, string messageId);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "queue {Queue} poll failed; retrying")]
    public static partial void PollFailed(ILogger logger, Exception exception, string queue);
}

namespace DocServer.Functions.Ask;

internal static partial class AskLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "asynchronous ask {Id} failed")]
    public static partial void AsyncAskFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "asynchronous ask {Id}: its outcome could not be stored; pollers will see it running until it expires")]
    public static partial void AsyncAskNotRecorded(ILogger logger, Exception exception, string id);
}

namespace DocServer.Functions.Ask;

internal static partial class AskLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "asynchronous ask {Id} failed")]
    public static partial void AsyncAskFailed(ILogger logger, Exception exception, string id);
}

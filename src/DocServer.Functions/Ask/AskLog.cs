namespace DocServer.Functions.Ask;

internal static partial class AskLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "asynchronous ask {Id} failed")]
    public static partial void AsyncAskFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "asynchronous ask {Id} delivered again while {Status}; nothing to do")]
    public static partial void AsyncAskSkipped(ILogger logger, string id, string status);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "streamed ask abandoned by its caller: {Question}")]
    public static partial void StreamAbandoned(ILogger logger, string question);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "streamed ask failed: {Question}")]
    public static partial void StreamFailed(ILogger logger, Exception exception, string question);
}

namespace DocServer.Functions.Digests;

internal static partial class DigestLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "digest run={Run} documents={Documents}")]
    public static partial void Completed(ILogger logger, string run, int documents);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "digest run={Run} stopped short at {Done} of {Due} documents: another summary could outlast functionTimeout {FunctionTimeout}; the next run resumes it")]
    public static partial void StoppedShort(ILogger logger, string run, int done, int due, TimeSpan functionTimeout);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "digest run={Run} paused at {Done} of {Due} documents: {Reason}; the next run resumes it")]
    public static partial void Paused(ILogger logger, string run, int done, int due, string reason);
}

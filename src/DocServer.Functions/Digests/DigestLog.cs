namespace DocServer.Functions.Digests;

internal static partial class DigestLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "digest run={Run} documents={Documents}")]
    public static partial void Completed(ILogger logger, string run, int documents);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "digest run={Run} started={Started} (false: another instance's timer started this occurrence)")]
    public static partial void Started(ILogger logger, string run, bool started);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "digest run={Run} window {From:O} to {To:O}: {Unsummarised} document(s) to summarise")]
    public static partial void Planned(ILogger logger, string run, DateTimeOffset from, DateTimeOffset to, int unsummarised);
}

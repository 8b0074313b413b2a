namespace DocServer.Functions.Digests;

internal static partial class DigestLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "digest run={Run} documents={Documents}")]
    public static partial void Completed(ILogger logger, string run, int documents);
}

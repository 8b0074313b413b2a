namespace DocServer.Functions.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Telemetry: {Export}")]
    public static partial void Exporting(ILogger logger, string export);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the length of queue {Queue} for the backlog metric")]
    public static partial void BacklogUnreadable(ILogger logger, Exception exception, string queue);
}

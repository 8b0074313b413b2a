namespace DocServer.Functions.Extraction;

internal static partial class ExtractionLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "extract document={Document} keywords={Keywords}")]
    public static partial void Extracted(ILogger logger, string document, int keywords);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "extract document={Document} skipped: the document no longer exists")]
    public static partial void Skipped(ILogger logger, string document);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "extract document={Document} deferred by {DelaySeconds:F0} s, not counted as an attempt: {Reason}")]
    public static partial void Deferred(ILogger logger, string document, double delaySeconds, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "extract document={Document} version={Version} already extracted; nothing to do")]
    public static partial void AlreadyExtracted(ILogger logger, string document, string version);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "extract document={Document} version={Version} summary not stored: the document was replaced or deleted while it was summarised")]
    public static partial void Outdated(ILogger logger, string document, string version);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "extract document={Document} version={Version} not scheduled, the document is stored; the extraction catch-up timer schedules it: {Reason}")]
    public static partial void NotScheduled(ILogger logger, Exception exception, string document, string version, string reason);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "extract document={Document} version={Version} scheduled by the catch-up: its ingest had not scheduled it")]
    public static partial void CaughtUp(ILogger logger, string document, string version);

    [LoggerMessage(EventId = 506, Level = LogLevel.Information, Message = "extract schedule try {Attempt} failed, trying again in {DelayMs:F0} ms: {Reason}")]
    public static partial void ScheduleRetried(ILogger logger, int attempt, double delayMs, string reason);
}

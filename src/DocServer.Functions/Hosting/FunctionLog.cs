namespace DocServer.Functions.Hosting;

internal static partial class FunctionLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "function {Function} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "standalone mode: timers {Timers} run in this process")]
    public static partial void Standalone(ILogger logger, string timers);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "storage unreachable, searching the documents this instance holds: {Reason}")]
    public static partial void IndexStale(ILogger logger, string reason);

    [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "search index ready: {Documents} documents ({FromSnapshot} from the snapshot), {Chunks} chunks, elapsed_ms={ElapsedMs:F0} (snapshot loaded at {SnapshotMs:F0}, listed at {ListedMs:F0}, then {BuildMs:F0} for the rest)")]
    public static partial void IndexLoaded(ILogger logger, int documents, int fromSnapshot, int chunks, double elapsedMs, double snapshotMs, double listedMs, double buildMs);

    [LoggerMessage(EventId = 713, Level = LogLevel.Warning, Message = "index snapshot {Generation} could not be read, loading the rest from the document rows: {Reason}")]
    public static partial void SnapshotUnreadable(ILogger logger, string generation, string reason);

    [LoggerMessage(EventId = 714, Level = LogLevel.Information, Message = "change log trimmed: {Count} entries through sequence {Sequence}")]
    public static partial void ChangeLogTrimmed(ILogger logger, int count, long sequence);

    [LoggerMessage(EventId = 715, Level = LogLevel.Warning, Message = "change log trimmed past this instance (applied {Applied}, oldest now {Oldest}): listing every document instead")]
    public static partial void ChangeLogGap(ILogger logger, long applied, long oldest);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status}: {Detail}")]
    public static partial void ClientError(ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503, storage unreachable: {Reason}")]
    public static partial void StorageUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 717, Level = LogLevel.Warning, Message = "{Method} {Path} answered 409: other writes to the document kept changing it first ({Attempts} tries)")]
    public static partial void WriteContended(ILogger logger, string method, string path, int attempts);

    [LoggerMessage(EventId = 709, Level = LogLevel.Warning, Message = "health of endpoint {Endpoint} not written to its gate row (tried again next probe): {Reason}")]
    public static partial void HealthNotRecorded(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 716, Level = LogLevel.Warning, Message = "{What} skipped, storage unreachable: {Reason}")]
    public static partial void StorageDown(ILogger logger, string what, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "queue {Queue} poll failed; retrying")]
    public static partial void PollFailed(ILogger logger, Exception exception, string queue);
}

namespace DocServer.Functions.Hosting;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "storage not ready (attempt {Attempt}): its tables, containers and queues are created once it answers; next try in {RetryInSeconds:F0} s. Reason: {Reason}")]
    public static partial void ProvisionFailed(ILogger logger, int attempt, double retryInSeconds, string reason);

    [LoggerMessage(EventId = 721, Level = LogLevel.Information, Message = "storage ready after {Attempts} attempt(s): tables, containers and queues exist")]
    public static partial void Provisioned(ILogger logger, int attempts);
}

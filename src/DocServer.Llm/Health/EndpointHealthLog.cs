using Microsoft.Extensions.Logging;

namespace DocServer.Llm.Health;

internal static partial class EndpointHealthLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "endpoint {Endpoint} is down (circuit opened): {Reason}; asks answer from the documents and background work waits until a probe finds it back")]
    public static partial void Opened(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "endpoint {Endpoint} is back (circuit closed) after {DownSeconds:F0} s")]
    public static partial void Closed(ILogger logger, string endpoint, double downSeconds);
}

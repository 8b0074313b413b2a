using Microsoft.Extensions.Logging;

namespace DocServer.Core.Answers;

internal static partial class SynthesisLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "synthesis ok query={Query} evidence={Evidence} cited={Cited} gate_wait_ms={GateWaitMs:F0} elapsed_ms={ElapsedMs:F0}")]
    public static partial void Answered(ILogger logger, string query, int evidence, int cited, double gateWaitMs, double elapsedMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "synthesis fallback reason={Reason} detail={Detail} elapsed_ms={ElapsedMs:F0}: answering extractively")]
    public static partial void Failed(ILogger logger, string reason, string detail, double elapsedMs);
}

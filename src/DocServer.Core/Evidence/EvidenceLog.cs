using Microsoft.Extensions.Logging;

namespace DocServer.Core.Evidence;

/// <summary>E16: every outcome with the query prefix, counts, expanded count and elapsed ms.</summary>
internal static partial class EvidenceLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "evidence ok reason={Reason} query={Query} candidates={Candidates} kept={Kept} exact={Exact} snapped={Snapped} dropped={Dropped} supplemented={Supplemented} short_span_expanded={Expanded} gate_wait_ms={GateWaitMs:F0} elapsed_ms={ElapsedMs:F0}")]
    public static partial void Accepted(ILogger logger, string? reason, string query, int candidates, int kept, int exact, int snapped, int dropped, int supplemented, int expanded, double gateWaitMs, double elapsedMs);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "evidence fallback reason={Reason} query={Query} candidates={Candidates} kept={Kept} unanchored={Unanchored} gate_wait_ms={GateWaitMs:F0} elapsed_ms={ElapsedMs:F0} detail={Detail}")]
    public static partial void Fallback(ILogger logger, string reason, string query, int candidates, int kept, int unanchored, double gateWaitMs, double elapsedMs, string detail);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "evidence skipped reason={Reason} query={Query} results={Results}")]
    public static partial void Skipped(ILogger logger, string reason, string query, int results);
}

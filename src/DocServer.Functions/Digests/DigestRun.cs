using System.Globalization;

namespace DocServer.Functions.Digests;

/// <summary>
/// One scheduled digest run: the <see cref="DigestOrchestrator"/>'s input. <paramref name="RunId"/> is the
/// occurrence of the schedule it runs for (UTC, <c>20261206T070000Z</c>), which is also the digest's id, and
/// <paramref name="TraceParent"/> the W3C id of the timer's span, so the run's activities link to it.
/// </summary>
internal sealed record DigestRun(string RunId, string? TraceParent = null)
{
    /// <summary>
    /// The orchestration's instance id: one per occurrence, so the timers of two instances that fire for the same
    /// occurrence start one run (the second schedule finds the first and does nothing).
    /// </summary>
    public string InstanceId => "digest-" + RunId;

    public static DigestRun For(DateTimeOffset occurrence, string? traceParent) =>
        new(occurrence.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), traceParent);
}

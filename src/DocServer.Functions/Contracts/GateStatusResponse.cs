using DocServer.Core.Gates;

namespace DocServer.Functions.Contracts;

/// <summary>One gate as the page and /api/health show it: who holds it and for how long, who waits, the counters, the host's last known health.</summary>
internal sealed record GateStatusResponse(
    string Gate,
    int Capacity,
    int Inflight,
    IReadOnlyList<GateHolderResponse> Holders,
    int WaitingForeground,
    int WaitingBackground,
    TimeSpan? OldestWait,
    int StarvingWaiters,
    GateCountersResponse Counters,
    GateHealthResponse? Health)
{
    public static GateStatusResponse From(GateStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var c = status.Counters;
        return new(
            status.Gate,
            status.Capacity,
            status.Inflight,
            [.. status.Holders.Select(h => new GateHolderResponse(h.Owner, h.Priority.ToString(), h.FencingToken, h.HeldFor, h.ExpiresIn))],
            status.WaitingForeground,
            status.WaitingBackground,
            status.OldestWait,
            status.StarvingWaiters,
            new(c.Grants, c.Releases, c.Expiries, c.DroppedWaiters, c.Cancellations),
            status.Health is { } h ? new(h.DownSince, h.LastError, h.ReportedBy) : null);
    }
}

/// <summary>A lease: its holder, priority (Foreground, Background), fencing token, how long it has been held and has left.</summary>
internal sealed record GateHolderResponse(string Owner, string Priority, long FencingToken, TimeSpan HeldFor, TimeSpan ExpiresIn);

internal sealed record GateCountersResponse(long Grants, long Releases, long Expiries, long DroppedWaiters, long Cancellations);

/// <summary>The host is down: since when, its last error, and which instance said so.</summary>
internal sealed record GateHealthResponse(DateTimeOffset DownSince, string LastError, string ReportedBy);

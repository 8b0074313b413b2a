namespace DocServer.Core.Gates;

/// <summary>G9: a read-only snapshot for status pages ("waiting" versus "broken").</summary>
public sealed record GateStatus(
    string Gate,
    int Capacity,
    int Inflight,
    IReadOnlyList<GateHolderStatus> Holders,
    int WaitingForeground,
    int WaitingBackground,
    TimeSpan? OldestWait,
    int StarvingWaiters,
    GateCounters Counters,
    GateHealthMark? Health = null);

public sealed record GateHolderStatus(string Owner, GatePriority Priority, long FencingToken, TimeSpan HeldFor, TimeSpan ExpiresIn);

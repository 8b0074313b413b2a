using System.Collections.Immutable;

namespace DocServer.Core.Gates;

/// <summary>
/// Everything a gate knows, persisted as one JSON property of one Table row. Immutable: the
/// operations of <see cref="GateMachine"/> return a new state, and the store writes it with If-Match.
/// </summary>
public sealed record GateState(
    ImmutableArray<GateHolder> Holders,
    ImmutableArray<GateWaiter> Waiters,
    long NextSequence,
    long NextFencingToken,
    GateCounters Counters)
{
    /// <summary>Bumped on any change a reader of the previous version would misread.</summary>
    public const int CurrentSchemaVersion = 1;

    public static GateState Empty { get; } = new([], [], 1, 1, GateCounters.Zero);

    /// <summary>G13: the host's last known health; null when it is up (or never reported).</summary>
    public GateHealthMark? Health { get; init; }

    /// <summary>A moving average of how long leases were held, so a waiter next in line can poll fast only near the end of a hold.</summary>
    public TimeSpan? MeanHold { get; init; }
}

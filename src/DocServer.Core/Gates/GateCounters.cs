namespace DocServer.Core.Gates;

/// <summary>Lifetime totals kept in the gate's row, for status pages and for reading incidents afterwards.</summary>
public sealed record GateCounters(long Grants, long Releases, long Expiries, long DroppedWaiters, long Cancellations)
{
    public static GateCounters Zero { get; } = new(0, 0, 0, 0, 0);
}

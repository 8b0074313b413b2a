namespace DocServer.Core.Gates;

/// <summary>
/// The knobs of one gate. Validated on construction so a bad setting fails at start-up,
/// not on the first call that happens to reach the gate.
/// </summary>
public sealed record GatePolicy
{
    /// <summary>G8: a background waiter past this wait is reported as starving.</summary>
    public static readonly TimeSpan StarvationWarning = TimeSpan.FromMinutes(5);

    public static GatePolicy Default { get; } = new();

    /// <summary>G3: how many leases may be held at once. MLX servers do one inference at a time.</summary>
    public int Capacity { get; init; } = 1;

    /// <summary>
    /// A lease lives this long unless renewed; a crashed holder blocks the gate for at most this
    /// plus one sweep interval. Holders renew every third of it.
    /// </summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>G7: a waiter not seen (polled) for this long is presumed dead and is never granted.</summary>
    public TimeSpan WaiterTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>G8: when set, a background waiter that has waited this long is dispatched as foreground.</summary>
    public TimeSpan? AgingAfter { get; init; }

    /// <summary>Bounds the queue so the persisted state always fits one Table property.</summary>
    public int MaxWaiters { get; init; } = 128;

    /// <summary>
    /// A poll rewrites "last seen" only when it is this stale, so waiting is mostly read-only and
    /// pollers do not fight the holder for the row.
    /// </summary>
    public TimeSpan WaiterRefreshInterval => WaiterTtl / 4;

    /// <summary>Throws with a message naming the setting when a value cannot work.</summary>
    public GatePolicy Validate() => Problems() is [var problem, ..]
        ? throw new ArgumentOutOfRangeException(problem.Setting, $"Gate {problem.Setting} {problem.Message}")
        : this;

    /// <summary>Every value that cannot work, by setting name, in words a person can act on (empty: all good).</summary>
    public IReadOnlyList<(string Setting, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        if (Capacity is < 1 or > 64)
        {
            problems.Add((nameof(Capacity), $"must be between 1 and 64 (got {Capacity})."));
        }

        if (LeaseTtl < TimeSpan.FromMilliseconds(300) || LeaseTtl > TimeSpan.FromMinutes(10))
        {
            problems.Add((nameof(LeaseTtl), $"must be between 300 ms and 10 minutes (got {LeaseTtl})."));
        }

        if (WaiterTtl < TimeSpan.FromMilliseconds(300) || WaiterTtl > TimeSpan.FromHours(1))
        {
            problems.Add((nameof(WaiterTtl), $"must be between 300 ms and 1 hour (got {WaiterTtl})."));
        }

        if (AgingAfter is { } aging && aging <= TimeSpan.Zero)
        {
            problems.Add((nameof(AgingAfter), $"must be positive, or unset to turn aging off (got {aging})."));
        }

        if (MaxWaiters is < 1 or > 150)
        {
            problems.Add((nameof(MaxWaiters), $"must be between 1 and 150: the state must fit one Table property (got {MaxWaiters})."));
        }

        return problems;
    }
}

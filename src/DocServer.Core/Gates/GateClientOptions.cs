namespace DocServer.Core.Gates;

/// <summary>How this process waits at gates.</summary>
public sealed record GateClientOptions
{
    /// <summary>
    /// Shows in status pages and logs; one per app instance: machine and process id, its end kept when it is
    /// longer than a gate keeps.
    /// </summary>
    public string Owner { get; init; } = ThisProcess();

    private static string ThisProcess()
    {
        var name = $"{Environment.MachineName}-{Environment.ProcessId}";
        return name.Length > GateMachine.MaxOwnerLength ? name[^GateMachine.MaxOwnerLength..] : name;
    }

    /// <summary>The first poll after queueing comes this soon: the holder may be about to release.</summary>
    public TimeSpan FirstPoll { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The next waiter in line never polls slower than this, so the MLX host sits idle at most this
    /// long between one holder's release and the next one noticing its grant.
    /// </summary>
    public TimeSpan FrontPollMax { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// The next in line polls this often once the holder is near the end of a typical hold: about one
    /// storage round trip, so the handoff costs the host little more than the release's own write.
    /// </summary>
    public TimeSpan HeadPoll { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>Waiters further back poll slower, up to this, to keep read load on the row low.</summary>
    public TimeSpan PollMax { get; init; } = TimeSpan.FromSeconds(1);
}

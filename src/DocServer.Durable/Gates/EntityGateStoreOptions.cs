using DocServer.Core.Gates;

namespace DocServer.Durable.Gates;

/// <summary>How a caller waits for the gate entity's answer to a signalled command.</summary>
public sealed record EntityGateStoreOptions
{
    /// <summary>The first read: about one entity work item on an idle hub with fast polling.</summary>
    public TimeSpan FirstReadInterval { get; init; } = TimeSpan.FromMilliseconds(15);

    public TimeSpan MaxReadInterval { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>
    /// No answer by then means no worker runs the entity (or storage is gone): the gate is unavailable. This bounds
    /// the wait for the entity to apply the command; once applied, the answer is read within a read interval and is
    /// kept for <see cref="GateEntity.ReplyLifetime"/>.
    /// </summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>
    /// How a client of the entity waits: a read is one table request, and the entity changes at most once per
    /// work item (a queue poll, then a checkpoint: tens of milliseconds), so the next in line reads every 20 ms near
    /// the end of a hold rather than at a row store's round trip. Measured with `bench gate` (docs/design.md).
    /// </summary>
    public static GateClientOptions Polling(GateClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { FirstPoll = TimeSpan.FromMilliseconds(20), HeadPoll = TimeSpan.FromMilliseconds(20), FrontPollMax = TimeSpan.FromMilliseconds(80) };
    }
}

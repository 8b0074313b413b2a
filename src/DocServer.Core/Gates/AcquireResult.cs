namespace DocServer.Core.Gates;

public enum AcquireOutcome
{
    Granted,
    Queued,

    /// <summary>The queue is at its bound; the caller treats this like an exhausted wait budget.</summary>
    QueueFull,
}

public sealed record AcquireResult(AcquireOutcome Outcome, GateHolder? Lease, GateWaiter? Ticket, int Position);

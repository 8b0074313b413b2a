namespace DocServer.Core.Gates;

public enum GateAcquisitionOutcome
{
    Granted,

    /// <summary>E17/G2: the wait budget ran out. Not an error: the caller falls back.</summary>
    WaitBudgetExceeded,

    /// <summary>The queue was at its bound; treated by callers like an exhausted budget.</summary>
    QueueFull,
}

/// <summary>The answer to an acquire: a lease, or why there is none. Waiting too long is an outcome, not an exception.</summary>
public sealed record GateAcquisition(GateAcquisitionOutcome Outcome, GateLease? Lease, TimeSpan Waited)
{
    public bool IsGranted => Outcome == GateAcquisitionOutcome.Granted;
}

namespace DocServer.Core.Gates;

public enum GateCallOutcome
{
    Completed,

    /// <summary>G2/E17: no lease within the wait budget; the call never started.</summary>
    WaitBudgetExceeded,

    QueueFull,

    /// <summary>The call ran past its timeout, counted from the grant (G2).</summary>
    TimedOut,

    /// <summary>The lease could not be renewed; the call was abandoned so two holders never overlap.</summary>
    LeaseLost,
}

public sealed record GateCallResult<T>(GateCallOutcome Outcome, T? Value, TimeSpan Waited, TimeSpan CallElapsed);

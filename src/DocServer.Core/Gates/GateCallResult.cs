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

    /// <summary>G13: the endpoint's host is known to be down; nobody queued and nothing was called.</summary>
    EndpointDown,

    /// <summary>The streamed reply stalled: no first token in time, or a pause past the idle timeout.</summary>
    Stalled,

    /// <summary>The call failed in a way that says the host is unhealthy (unreachable, 5xx): not the request's fault.</summary>
    HostFailed,

    /// <summary><see cref="KeepOnce"/>: inside the lease the result was found kept by another run; nothing was called.</summary>
    AlreadyKept,
}

public sealed record GateCallResult<T>(GateCallOutcome Outcome, T? Value, TimeSpan Waited, TimeSpan CallElapsed)
{
    /// <summary>The endpoint that was called (a pool's member that granted, or its overflow); null when none was.</summary>
    public string? Endpoint { get; init; }
}

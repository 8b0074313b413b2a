namespace DocServer.Core.Gates;

/// <summary>
/// Why a gated model call gave no usable reply, in the terms its callers fall back on (evidence and synthesis
/// name each in their reasons; extraction defers or retries). <see cref="GatedModelCalls"/> is the one place a
/// call's outcome, or the exception it ended in, is sorted into these.
/// </summary>
public enum ModelCallFailure
{
    /// <summary>The call completed (its reply may still be unusable: that is the caller's to judge).</summary>
    None,

    /// <summary>No lease within the wait budget, or the queue was full (E17): the call never started.</summary>
    GateBusy,

    /// <summary>G13: every endpoint of the pool is known to be down; nobody queued and nothing was called.</summary>
    HostDown,

    /// <summary>The call ran past its deadline (G2), or its stream stalled (first token, idle).</summary>
    TimedOut,

    /// <summary>The call failed: the host refused or erred, the lease was lost, or the client threw.</summary>
    Failed,

    /// <summary>The gate's store could not be reached, so the model was not called (never without its gate).</summary>
    GateUnavailable,

    /// <summary><see cref="KeepOnce"/>: another run kept the result while this one waited; no call was made, nothing failed.</summary>
    AlreadyKept,
}

namespace DocServer.Core.Gates;

public enum RenewOutcome
{
    Renewed,

    /// <summary>The lease ran out before this renewal arrived; the slot may already be someone else's.</summary>
    Expired,

    /// <summary>No lease with this id and fencing token is held (released, or expired earlier).</summary>
    NotHolder,
}

public sealed record RenewResult(RenewOutcome Outcome, GateHolder? Lease);

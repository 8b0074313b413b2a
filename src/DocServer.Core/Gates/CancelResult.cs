namespace DocServer.Core.Gates;

public enum CancelOutcome
{
    Cancelled,

    /// <summary>The ticket had been granted before the cancel arrived; the lease was given back.</summary>
    ReleasedGrantedLease,

    NotFound,
}

public sealed record CancelResult(CancelOutcome Outcome);

namespace DocServer.Core.Gates;

public enum ClaimOutcome
{
    /// <summary>The lease is the claimant's to run (and renewed from now).</summary>
    Claimed,

    /// <summary>Another run claimed it first: this one must queue for a lease of its own.</summary>
    ClaimedByAnother,

    /// <summary>No live lease with this id and fencing token (released, expired, withdrawn).</summary>
    NotHolder,
}

public sealed record ClaimResult(ClaimOutcome Outcome, GateHolder? Lease);

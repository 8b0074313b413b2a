namespace DocServer.Core.Gates;

public enum ReleaseOutcome
{
    Released,

    /// <summary>The lease was not held any more (expired or released already): nothing was freed.</summary>
    Stale,
}

/// <param name="Outcome">Released, or stale.</param>
/// <param name="KeptPlace">G11: the lease of the place kept for the request's next call when it was granted in the same write.</param>
public sealed record ReleaseResult(ReleaseOutcome Outcome, GateHolder? KeptPlace = null);

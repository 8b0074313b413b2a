namespace DocServer.Core.Gates;

public enum ReleaseOutcome
{
    Released,

    /// <summary>The lease was not held any more (expired or released already): nothing was freed.</summary>
    Stale,
}

public sealed record ReleaseResult(ReleaseOutcome Outcome);

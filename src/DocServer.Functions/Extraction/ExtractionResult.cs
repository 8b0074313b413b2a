namespace DocServer.Functions.Extraction;

public enum ExtractionOutcome
{
    Extracted,

    /// <summary>This version had its summary already (a repeated delivery): no model call.</summary>
    AlreadyExtracted,

    /// <summary>The document changed (or went) before its turn: a newer version has its own extraction.</summary>
    Outdated,

    Deleted,

    /// <summary>G13: the host is down (or failed as a down host does): try again after a probe interval.</summary>
    HostDown,
}

/// <summary>What one extraction attempt came to, and why (the host's error when it was down).</summary>
internal sealed record ExtractionResult(ExtractionOutcome Outcome, string? Detail = null);

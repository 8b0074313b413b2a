namespace DocServer.Core.Telemetry;

/// <summary>What a model call is for: the tag that tells the ask's calls from background work on the same host.</summary>
public enum ModelCallKind
{
    /// <summary>Not said by the caller.</summary>
    Other = 0,

    /// <summary>The ask's batched evidence extraction (E1–E18).</summary>
    Evidence,

    /// <summary>The ask's answer, written from the evidence.</summary>
    Synthesis,

    /// <summary>Background: a document's summary at ingest.</summary>
    Summary,
}

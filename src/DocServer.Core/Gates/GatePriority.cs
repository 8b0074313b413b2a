namespace DocServer.Core.Gates;

/// <summary>
/// Dispatch order at a gate: lower values go first (G4). The numeric gap leaves room for
/// levels in between without renumbering persisted state.
/// </summary>
public enum GatePriority
{
    /// <summary>User-facing work (ask, evidence): dispatched before any background waiter.</summary>
    Foreground = 0,

    /// <summary>Digests, extraction, warm-ups. The default, so an unlabelled caller never jumps a user (G4).</summary>
    Background = 100,
}

namespace DocServer.Core.Gates;

/// <summary>
/// Who goes first at a gate (G4). Background is the zero value on purpose: anything unspecified
/// (a default value, a missing field in a stored row or a request) can never jump a user.
/// </summary>
public enum GatePriority
{
    /// <summary>Digests, extraction, warm-ups: dispatched only when no foreground waiter is live.</summary>
    Background = 0,

    /// <summary>User-facing work (ask, evidence): dispatched before any background waiter.</summary>
    Foreground = 1,
}

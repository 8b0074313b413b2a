namespace DocServer.Core.Gates;

public enum PollOutcome
{
    Waiting,
    Granted,

    /// <summary>Neither waiting nor holding: cancelled, dropped as dead (G7), or released already.</summary>
    Gone,
}

/// <param name="Outcome">Waiting, granted, or gone.</param>
/// <param name="Lease">The lease when granted.</param>
/// <param name="Position">How many waiters will be dispatched first (0 = next).</param>
/// <param name="AheadByPriority">Of those, how many are ahead only because of their priority (G4).</param>
/// <param name="SlotFreeIn">When a slot is expected to free, from the typical hold; null when unknown.</param>
public sealed record PollResult(PollOutcome Outcome, GateHolder? Lease, int Position, int AheadByPriority, TimeSpan? SlotFreeIn = null);

namespace DocServer.Core.Gates;

/// <summary>
/// What an operation did besides its answer: grants, expiries and drops that the client logs and
/// uses to wake an in-process waiter without waiting for its next poll.
/// </summary>
public abstract record GateEffect;

/// <summary>A waiter (or an immediate acquirer) became a holder. <paramref name="Starving"/> is G8's warning.</summary>
public sealed record LeaseGranted(GateHolder Lease, TimeSpan Waited, int QueueLength, bool Starving) : GateEffect;

/// <summary>A holder stopped renewing and its lease ran out: its slot is free again.</summary>
public sealed record LeaseExpired(GateHolder Lease) : GateEffect;

/// <summary>A holder gave its slot back.</summary>
public sealed record LeaseReleased(GateHolder Lease, TimeSpan Held) : GateEffect;

/// <summary>G7: a waiter that stopped polling was removed without being granted.</summary>
public sealed record WaiterDropped(GateWaiter Waiter) : GateEffect;

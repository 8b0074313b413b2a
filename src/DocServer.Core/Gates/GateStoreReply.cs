using System.Collections.Immutable;

namespace DocServer.Core.Gates;

/// <summary>
/// A committed command: its answer, the state it left, and the effects seen where it ran (the in-memory twin
/// reports them; the entity logs its own and reports none).
/// </summary>
public sealed record GateStoreReply<TResult>(TResult Result, GateState State, ImmutableArray<GateEffect> Effects);

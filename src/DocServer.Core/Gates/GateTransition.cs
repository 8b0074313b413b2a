using System.Collections.Immutable;

namespace DocServer.Core.Gates;

/// <summary>The outcome of one operation: the state to persist, the caller's answer, and the side effects.</summary>
public sealed record GateTransition<TResult>(GateState State, TResult Result, ImmutableArray<GateEffect> Effects);

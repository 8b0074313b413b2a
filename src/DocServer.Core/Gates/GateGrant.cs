namespace DocServer.Core.Gates;

/// <summary>
/// A lease granted to work that runs its call somewhere else: an orchestration is told of its turn at the gate
/// (pushed to it) and hands the grant to the activity that calls the model, which claims it
/// (<see cref="GateMachine.Claim"/>) before it calls.
/// </summary>
public sealed record GateGrant(string Gate, string LeaseId, long FencingToken);

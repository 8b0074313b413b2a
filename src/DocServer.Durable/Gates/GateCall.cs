namespace DocServer.Durable.Gates;

/// <summary>
/// The input of the entity's <c>apply</c> operation: a serialized <see cref="DocServer.Core.Gates.GateCommand"/>;
/// when the sender waits for the answer outside an orchestration, the reply id under which the entity keeps it;
/// and, for an acquire that queues, the orchestration instance to tell when it is granted (<see cref="Notify"/>).
/// </summary>
public sealed record GateCall(string Command, string? ReplyId, string? Notify = null);

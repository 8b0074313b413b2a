namespace DocServer.Core.Gates;

/// <summary>A committed gate operation: its answer and the queue length it left.</summary>
internal sealed record GateApplied<T>(T Result, int QueueLength);

using DocServer.Core.Entities;

namespace DocServer.Core.Gates;

/// <summary>A committed gate operation: its answer, the queue length it left, and its storage cost.</summary>
internal sealed record GateApplied<T>(T Result, int QueueLength, EntityUpdate<T> Update);

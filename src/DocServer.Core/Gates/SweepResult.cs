namespace DocServer.Core.Gates;

public sealed record SweepResult(int ExpiredLeases, int DroppedWaiters, int Granted);

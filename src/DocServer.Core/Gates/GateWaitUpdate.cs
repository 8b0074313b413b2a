namespace DocServer.Core.Gates;

/// <summary>
/// Where a waiting call stands: its best place among the gates it waits on, how many of those ahead are
/// there only by priority (G4), and how long it has waited. What a person is shown as "waiting, not broken".
/// </summary>
public sealed record GateWaitUpdate(string Gate, int Position, int AheadByPriority, TimeSpan Waited);

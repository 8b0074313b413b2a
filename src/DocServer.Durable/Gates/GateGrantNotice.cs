using DocServer.Core.Gates;

namespace DocServer.Durable.Gates;

/// <summary>What the gate entity sends an orchestration whose queued ticket it granted: the instance, and its grant.</summary>
public sealed record GateGrantNotice(string Instance, GateGrant Grant);

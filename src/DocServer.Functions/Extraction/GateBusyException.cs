namespace DocServer.Functions.Extraction;

/// <summary>An orchestration's turn at the gate did not come within its wait budget (G2): the attempt failed, not the host.</summary>
internal sealed class GateBusyException(string message) : Exception(message);

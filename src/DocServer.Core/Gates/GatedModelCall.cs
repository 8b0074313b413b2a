namespace DocServer.Core.Gates;

/// <summary>
/// What one gated model call came to: its reply (when it completed), why not otherwise, the time waited for
/// the gate and spent in the call, and the endpoint called. <see cref="HostAtFault"/> says the host rather than
/// the request failed (down, refused, erred, or stalled while its health went down): background work waits for
/// the host instead of spending an attempt.
/// </summary>
public sealed record GatedModelCall(ModelCallFailure Failure, string? Value, TimeSpan Waited, TimeSpan CallElapsed, string? Endpoint, string Detail)
{
    public bool HostAtFault { get; init; }
}

namespace DocServer.Durable;

/// <summary>
/// An orchestration instance as a caller sees it: its status, its input, its output once done (JSON), what it
/// says of itself meanwhile (its custom status, JSON), why it failed.
/// </summary>
public sealed record DurableInstance(string InstanceId, DurableStatus Status, string? Input, string? Output, string? CustomStatus, string? Failure, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt)
{
    /// <summary>Done for good: completed, failed or terminated (nothing more will happen to it).</summary>
    public bool HasEnded => Status is DurableStatus.Completed or DurableStatus.Failed or DurableStatus.Terminated;
}

namespace DocServer.Durable;

/// <summary>The runtime status of an orchestration instance, the same words under the host and standalone.</summary>
public enum DurableStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Terminated,
    Other,
}

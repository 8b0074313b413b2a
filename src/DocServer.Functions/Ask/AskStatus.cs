namespace DocServer.Functions.Ask;

/// <summary>Where an asynchronous ask is: still running, done (its answer stored), or failed (a message for the caller).</summary>
public enum AskStatus
{
    Running,
    Done,
    Failed,
}

/// <summary>The lowercase words shown to callers ("running", "done", "failed").</summary>
public static class AskStatusText
{
    public static string ToText(this AskStatus status) => status switch
    {
        AskStatus.Running => "running",
        AskStatus.Done => "done",
        AskStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an ask status."),
    };
}

namespace DocServer.Storage.Asks;

/// <summary>Where an asynchronous ask is: still running, done (its answer stored), or failed (a message for the caller).</summary>
public enum AskStatus
{
    Running,
    Done,
    Failed,
}

/// <summary>The lowercase words stored in the ask's row and shown to callers ("running", "done", "failed").</summary>
public static class AskStatusText
{
    public static string ToText(this AskStatus status) => status switch
    {
        AskStatus.Running => "running",
        AskStatus.Done => "done",
        AskStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an ask status."),
    };

    /// <summary>A stored word back to its status; a row written without one is still running.</summary>
    public static AskStatus Parse(string? text) => text switch
    {
        null or "running" => AskStatus.Running,
        "done" => AskStatus.Done,
        "failed" => AskStatus.Failed,
        _ => throw new InvalidDataException($"An ask row holds the unknown status '{text}'."),
    };
}

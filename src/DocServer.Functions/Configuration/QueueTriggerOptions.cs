namespace DocServer.Functions.Configuration;

/// <summary>
/// host.json's <c>extensions.queues</c>, meaning what the Functions host means by them; the standalone
/// queue listener follows the same values.
/// </summary>
internal sealed class QueueTriggerOptions
{
    public const string Section = HostJson.Section + ":extensions:queues";

    /// <summary>Messages received at once and run in parallel.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>How long a failed message stays invisible before its next attempt (the retry delay).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Attempts before a message moves to the "-poison" queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>The longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How the host decodes a message: base64, which is how the app's queue clients send them.</summary>
    public string MessageEncoding { get; set; } = "base64";
}

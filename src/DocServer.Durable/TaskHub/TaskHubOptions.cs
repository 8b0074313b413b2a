namespace DocServer.Durable.TaskHub;

/// <summary>
/// The task hub's settings, standalone; host.json's <c>durableTask</c> section says the same to the Functions
/// host (a contract test holds them equal). The times are chosen together with the gate's lease (docs/design.md,
/// "Durable settings"): a crashed worker's activity comes back after <see cref="WorkItemVisibilityTimeout"/>, its
/// orchestrations after the partition lease runs out, and its gate lease after the gate's lease TTL.
/// </summary>
public sealed record TaskHubOptions
{
    /// <summary>Task hub names are 3-45 letters and digits, starting with a letter (they name tables and queues).</summary>
    public string HubName { get; init; } = "DocServer";

    /// <summary>One partition: every orchestration and entity message goes through one control queue, so a handoff is one queue hop and an idle worker polls one queue.</summary>
    public int PartitionCount { get; init; } = 1;

    /// <summary>
    /// The most an idle queue waits between polls: the first work after a quiet spell (an ask on an idle gate, a release
    /// after a long hold) starts at most this late. Each poll is a storage request (`bench gate` prints both sides).
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a work item a dead worker took stays hidden before another worker gets it (a running worker renews it).</summary>
    public TimeSpan WorkItemVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Who this worker is to the hub's partition table: machine and process id. The provider's default, the machine
    /// name alone, made every process on one machine the same worker: each thought it owned the one partition, all
    /// of them read its control queue, and their work items kept overwriting each other's ("split brain detected",
    /// dozens a minute under load; after a storage outage a gate lease could stay unexpired for minutes because
    /// every commit of the gate entity lost that race). In Azure each instance is a machine of its own.
    /// </summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The partition lease: a dead worker's partition is taken over after it runs out.</summary>
    public TimeSpan PartitionLeaseInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PartitionLeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan PartitionLeaseAcquireInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The app lease (one blob lease that lets only one of several apps on a hub work it) is off: every instance here is
    /// one app. With it on, a process whose app lease could not be renewed during a storage outage stopped working the
    /// hub and asked for the lease again only every 5 minutes (the provider's default), so the gate entity could stay
    /// unanswered for minutes after storage was back (StorageOutageTests, in some runs).
    /// </summary>
    public bool UseAppLease { get; init; }

    public int MaxConcurrentActivities { get; init; } = 16;

    public int MaxConcurrentOrchestrations { get; init; } = 16;

    public int MaxConcurrentEntities { get; init; } = 16;
}

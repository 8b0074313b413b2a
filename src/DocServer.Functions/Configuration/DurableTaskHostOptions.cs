using DocServer.Durable.TaskHub;

namespace DocServer.Functions.Configuration;

/// <summary>
/// host.json's <c>extensions.durableTask</c>, as the Functions host's Durable extension reads it; standalone, the
/// task hub worker takes the same values (<see cref="ToTaskHub"/>), so the app runs its orchestrations and entities
/// the way the host would. The reasons for each value are in docs/design.md ("Durable settings").
/// </summary>
internal sealed class DurableTaskHostOptions
{
    public const string Section = HostJson.Section + ":extensions:durableTask";

    /// <summary>"%DocServerTaskHub%": the app setting names the hub (several apps, or test runs, on one account).</summary>
    public string HubName { get; set; } = FlatSettings.Expression(FlatSettings.TaskHub);

    /// <summary>The extension's default is on; host.json turns it off (TaskHubOptions.UseAppLease says why).</summary>
    public bool UseAppLease { get; set; } = true;

    public DurableStorageProviderOptions StorageProvider { get; set; } = new();

    public int MaxConcurrentActivityFunctions { get; set; } = 16;

    public int MaxConcurrentOrchestratorFunctions { get; set; } = 16;

    public int MaxConcurrentEntityFunctions { get; set; } = 16;

    /// <summary>The task hub settings for standalone, with the hub's name resolved from the bound app settings.</summary>
    public TaskHubOptions ToTaskHub(DocServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TaskHubOptions
        {
            HubName = HubName.StartsWith('%') ? FlatSettings.Resolve(HubName, options) : HubName,
            UseAppLease = UseAppLease,
            PartitionCount = StorageProvider.PartitionCount,
            MaxQueuePollingInterval = StorageProvider.MaxQueuePollingInterval,
            WorkItemVisibilityTimeout = StorageProvider.WorkItemQueueVisibilityTimeout,
            ControlQueueVisibilityTimeout = StorageProvider.ControlQueueVisibilityTimeout,
            MaxConcurrentActivities = MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestrations = MaxConcurrentOrchestratorFunctions,
            MaxConcurrentEntities = MaxConcurrentEntityFunctions,
        };
    }
}

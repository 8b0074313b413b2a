namespace DocServer.Functions.Configuration;

/// <summary>host.json's <c>extensions.durableTask.storageProvider</c> (the Azure Storage provider), defaults as the extension's.</summary>
internal sealed class DurableStorageProviderOptions
{
    public int PartitionCount { get; set; } = 4;

    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

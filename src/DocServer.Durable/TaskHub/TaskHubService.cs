using DocServer.Storage;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace DocServer.Durable.TaskHub;

/// <summary>
/// The task hub on the app's storage account (AzureWebJobsStorage: Azurite locally), through DurableTask.AzureStorage,
/// the provider the Functions host uses in Azure. Retries are chosen per path: the worker's service keeps the SDK's
/// (it has its own back-off loops), a request's client (an ask signalling its gate) gets the retry it is given, so
/// an outage fails it within seconds and the ask degrades instead of hanging.
/// </summary>
public sealed class TaskHubService : IDisposable
{
    public TaskHubService(StorageAccount account, TaskHubOptions options, ILoggerFactory loggerFactory, StorageRetry? retry = null, HttpPipelinePolicy? observer = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.HubName,
            WorkerId = options.WorkerId,
            StorageAccountClientProvider = ClientProvider(account, retry, observer),
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
            LeaseInterval = options.PartitionLeaseInterval,
            LeaseRenewInterval = options.PartitionLeaseRenewInterval,
            LeaseAcquireInterval = options.PartitionLeaseAcquireInterval,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxConcurrentTaskEntityWorkItems = options.MaxConcurrentEntities,
            UseSeparateQueueForEntityWorkItems = true,
            UseTablePartitionManagement = true,
            UseAppLease = options.UseAppLease,
            LoggerFactory = loggerFactory,
        };
        Service = new AzureStorageOrchestrationService(settings);
        _resources = new TaskHubStorage(new StorageClients(account, retry ?? new StorageRetry(TimeSpan.FromSeconds(10), 2, TimeSpan.FromMilliseconds(200))), options.HubName, options.PartitionCount);
    }

    private readonly TaskHubStorage _resources;

    public TaskHubOptions Options { get; }

    internal AzureStorageOrchestrationService Service { get; }

    /// <summary>
    /// Creates the hub's queues, tables and containers where missing: a new account, or one that lost its data while
    /// the app ran (the provider creates them only once per process, so they are created here again too).
    /// </summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        await Service.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _resources.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => Service.Dispose();

    /// <summary>The hub's storage clients: the SDK's retries unless given some, and an observer of every request (the benchmarks count them).</summary>
    private static StorageAccountClientProvider ClientProvider(StorageAccount account, StorageRetry? retry, HttpPipelinePolicy? observer)
    {
        if (retry is null && observer is null)
        {
            return account.ConnectionString is { } connectionString
                ? new StorageAccountClientProvider(connectionString)
                : new StorageAccountClientProvider(account.BlobServiceUri!, account.QueueServiceUri!, account.TableServiceUri!, account.Credential!);
        }

        var blobs = Configure(new BlobClientOptions(), retry, observer);
        var queues = Configure(new QueueClientOptions(), retry, observer);
        var tables = Configure(new TableClientOptions(), retry, observer);
        return account.ConnectionString is { } connection
            ? new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connection, blobs), StorageServiceClientProvider.ForQueue(connection, queues), StorageServiceClientProvider.ForTable(connection, tables))
            : new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(account.BlobServiceUri!, account.Credential!, blobs),
                StorageServiceClientProvider.ForQueue(account.QueueServiceUri!, account.Credential!, queues),
                StorageServiceClientProvider.ForTable(account.TableServiceUri!, account.Credential!, tables));
    }

    private static T Configure<T>(T options, StorageRetry? retry, HttpPipelinePolicy? observer)
        where T : ClientOptions
    {
        retry?.Apply(options);
        if (observer is not null)
        {
            options.AddPolicy(observer, HttpPipelinePosition.PerRetry);
        }

        return options;
    }
}

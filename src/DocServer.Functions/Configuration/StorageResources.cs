using DocServer.Storage;
using DocServer.Storage.Digests;
using DocServer.Storage.Documents;
using DocServer.Storage.Queues;

namespace DocServer.Functions.Configuration;

/// <summary>
/// Every store the app uses, named with the configured prefix, on the account AzureWebJobsStorage names
/// (see <see cref="StorageAccountSettings"/>). Two retry profiles (<see cref="DocServerOptions"/>): stores
/// on a request's path (documents) fail fast so an ask never sits in storage retries; background
/// stores (queues, digests, async asks) try longer.
/// </summary>
internal sealed class StorageResources
{
    public StorageResources(StorageAccount account, DocServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.StoragePrefix;
        Interactive = new StorageClients(account, options.InteractiveRetry());
        Background = new StorageClients(account, new StorageRetry(options.StorageBackgroundTimeout, options.StorageBackgroundRetries, TimeSpan.FromSeconds(1)));
        Documents = new DocumentStore(Interactive, prefix, time);
        IndexSnapshots = new IndexSnapshotStore(Background, prefix);
        Digests = new DigestStore(Background, prefix);
        TaskHubWorkItems = new QueuedWork(Background, options.TaskHub.ToLowerInvariant() + "-workitems");
    }

    public StorageClients Interactive { get; }

    public StorageClients Background { get; }

    public DocumentStore Documents { get; }

    public IndexSnapshotStore IndexSnapshots { get; }

    public DigestStore Digests { get; }

    /// <summary>The task hub's activity queue (read for its length only: the task hub owns it and creates it).</summary>
    public QueuedWork TaskHubWorkItems { get; }

    /// <summary>Creates whatever does not exist yet; safe to run on every start of every instance.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Documents.CreateIfNotExistsAsync(cancellationToken),
            IndexSnapshots.CreateIfNotExistsAsync(cancellationToken),
            Digests.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
    }
}

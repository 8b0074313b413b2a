using DocServer.Storage;
using DocServer.Storage.Asks;
using DocServer.Storage.Digests;
using DocServer.Storage.Documents;
using DocServer.Storage.Entities;
using DocServer.Storage.Queues;

namespace DocServer.Functions.Configuration;

/// <summary>
/// Every store the app uses, named with the configured prefix, on the account AzureWebJobsStorage names
/// (see <see cref="StorageAccountSettings"/>). Two retry profiles (<see cref="DocServerOptions"/>): stores
/// on a request's path (the gates, documents) fail fast so an ask never sits in storage retries; background
/// stores (queues, digests, async asks) try longer.
/// </summary>
internal sealed class StorageResources
{
    public StorageResources(StorageAccount account, DocServerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.StoragePrefix;
        Interactive = new StorageClients(account, new StorageRetry(options.StorageAskTimeout, options.StorageAskRetries, TimeSpan.FromMilliseconds(50)));
        Background = new StorageClients(account, new StorageRetry(options.StorageBackgroundTimeout, options.StorageBackgroundRetries, TimeSpan.FromSeconds(1)));
        Gates = new TableEntityRowStore(Interactive, prefix + "gates");
        Documents = new DocumentStore(Interactive, prefix, time);
        IndexSnapshots = new IndexSnapshotStore(Background, prefix);
        Asks = new AskResultStore(Background, prefix);
        Digests = new DigestStore(Background, prefix);
        Extract = new QueuedWork(Background, options.ExtractQueue);
        ExtractPoison = new QueuedWork(Background, options.ExtractQueue + "-poison");
        AskQueue = new QueuedWork(Background, options.AskQueue);
        AskPoison = new QueuedWork(Background, options.AskQueue + "-poison");
    }

    public StorageClients Interactive { get; }

    public StorageClients Background { get; }

    public TableEntityRowStore Gates { get; }

    public DocumentStore Documents { get; }

    public IndexSnapshotStore IndexSnapshots { get; }

    public AskResultStore Asks { get; }

    public DigestStore Digests { get; }

    public QueuedWork Extract { get; }

    public QueuedWork ExtractPoison { get; }

    public QueuedWork AskQueue { get; }

    public QueuedWork AskPoison { get; }

    /// <summary>Creates whatever does not exist yet; safe to run on every start of every instance.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Gates.CreateIfNotExistsAsync(cancellationToken),
            Documents.CreateIfNotExistsAsync(cancellationToken),
            IndexSnapshots.CreateIfNotExistsAsync(cancellationToken),
            Asks.CreateIfNotExistsAsync(cancellationToken),
            Digests.CreateIfNotExistsAsync(cancellationToken),
            Extract.CreateIfNotExistsAsync(cancellationToken),
            ExtractPoison.CreateIfNotExistsAsync(cancellationToken),
            AskQueue.CreateIfNotExistsAsync(cancellationToken),
            AskPoison.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
    }
}

using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DocServer.Storage;

/// <summary>
/// The SDK service clients for one account and one retry profile. The stores take their table, container
/// or queue from here; nothing outside this project sees an SDK type.
/// </summary>
public sealed class StorageClients
{
    private readonly TableServiceClient _tables;
    private readonly BlobServiceClient _blobs;
    private readonly QueueServiceClient _queues;

    public StorageClients(StorageAccount account, StorageRetry retry)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(retry);
        Account = account;
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        // The Functions host writes and reads queue messages as Base64; so do we, so either can read the other's.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        retry.ApplyTo(tableOptions);
        retry.ApplyTo(blobOptions);
        retry.ApplyTo(queueOptions);
        if (account.ConnectionString is { } connectionString)
        {
            _tables = new TableServiceClient(connectionString, tableOptions);
            _blobs = new BlobServiceClient(connectionString, blobOptions);
            _queues = new QueueServiceClient(connectionString, queueOptions);
        }
        else
        {
            _tables = new TableServiceClient(account.TableServiceUri, account.Credential, tableOptions);
            _blobs = new BlobServiceClient(account.BlobServiceUri, account.Credential, blobOptions);
            _queues = new QueueServiceClient(account.QueueServiceUri, account.Credential, queueOptions);
        }
    }

    public StorageAccount Account { get; }

    public Uri TableEndpoint => _tables.Uri;

    public Uri BlobEndpoint => _blobs.Uri;

    public Uri QueueEndpoint => _queues.Uri;

    public string AccountName => _tables.AccountName;

    internal TableClient Table(string name) => _tables.GetTableClient(name);

    internal BlobContainerClient Container(string name) => _blobs.GetBlobContainerClient(StorageNames.RequireLowercase(name, "Container", nameof(name)));

    internal QueueClient Queue(string name) => _queues.GetQueueClient(StorageNames.RequireLowercase(name, "Queue", nameof(name)));
}

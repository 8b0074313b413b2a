using Azure.Identity;
using DocServer.Storage;
using DocServer.Storage.Blobs;
using DocServer.Storage.Queues;
using DocServer.Storage.Tables;

namespace DocServer.Functions.Configuration;

/// <summary>
/// Every table, container and queue the app uses, named with the configured prefix, all on one
/// account: the one in AzureWebJobsStorage (a connection string; UseDevelopmentStorage=true for
/// Azurite), or AzureWebJobsStorage__accountName with the managed identity, as the Functions host reads it.
/// </summary>
internal sealed class StorageResources
{
    public StorageResources(StorageAccount account, DocServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.StoragePrefix;
        Account = account;
        Gates = new TableClient(account, prefix + "gates");
        Documents = new TableClient(account, prefix + "documents");
        Chunks = new TableClient(account, prefix + "chunks");
        Asks = new TableClient(account, prefix + "asks");
        DigestState = new TableClient(account, prefix + "digests");
        Originals = new BlobContainerClient(account, prefix + "-originals");
        DigestBlobs = new BlobContainerClient(account, prefix + "-digests");
        AskResults = new BlobContainerClient(account, prefix + "-asks");
        Extract = new QueueClient(account, options.ExtractQueue);
        ExtractPoison = new QueueClient(account, options.ExtractQueue + "-poison");
    }

    public StorageAccount Account { get; }

    public TableClient Gates { get; }

    public TableClient Documents { get; }

    public TableClient Chunks { get; }

    public TableClient Asks { get; }

    public TableClient DigestState { get; }

    public BlobContainerClient Originals { get; }

    public BlobContainerClient DigestBlobs { get; }

    public BlobContainerClient AskResults { get; }

    public QueueClient Extract { get; }

    public QueueClient ExtractPoison { get; }

    public static StorageAccount AccountFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // The managed identity wins over a connection string: in Azure the app settings name the account,
        // while appsettings.json still carries the local default (Azurite).
        if (configuration["AzureWebJobsStorage:accountName"] is { Length: > 0 } accountName)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AzureWebJobsStorage:clientId"] });
            return StorageAccount.WithToken(accountName, credential);
        }

        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } connectionString)
        {
            try
            {
                return StorageConnectionString.Parse(connectionString);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"AzureWebJobsStorage: {ex.Message}", ex);
            }
        }

        throw new InvalidOperationException(
            "No storage configured: set AzureWebJobsStorage to a connection string (UseDevelopmentStorage=true for Azurite), " +
            "or AzureWebJobsStorage__accountName to use the app's managed identity.");
    }

    /// <summary>Creates whatever does not exist yet; safe to run on every start of every instance.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Gates.CreateIfNotExistsAsync(cancellationToken),
            Documents.CreateIfNotExistsAsync(cancellationToken),
            Chunks.CreateIfNotExistsAsync(cancellationToken),
            Asks.CreateIfNotExistsAsync(cancellationToken),
            DigestState.CreateIfNotExistsAsync(cancellationToken),
            Originals.CreateIfNotExistsAsync(cancellationToken),
            DigestBlobs.CreateIfNotExistsAsync(cancellationToken),
            AskResults.CreateIfNotExistsAsync(cancellationToken),
            Extract.CreateIfNotExistsAsync(cancellationToken),
            ExtractPoison.CreateIfNotExistsAsync(cancellationToken)).ConfigureAwait(false);
    }
}

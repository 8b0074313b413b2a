using Azure.Core;

namespace DocServer.Storage;

/// <summary>
/// Where the app's storage is and how to reach it, in the two forms the Functions host reads
/// AzureWebJobsStorage: a connection string (Azurite's UseDevelopmentStorage=true, or an account key), or
/// the service URIs with a token credential (the managed identity in Azure, no key in settings).
/// </summary>
public sealed record StorageAccount
{
    private StorageAccount(string? connectionString, Uri? tableServiceUri, Uri? blobServiceUri, Uri? queueServiceUri, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        TableServiceUri = tableServiceUri;
        BlobServiceUri = blobServiceUri;
        QueueServiceUri = queueServiceUri;
        Credential = credential;
    }

    public string? ConnectionString { get; }

    public Uri? TableServiceUri { get; }

    public Uri? BlobServiceUri { get; }

    public Uri? QueueServiceUri { get; }

    public TokenCredential? Credential { get; }

    public static StorageAccount FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageAccount(connectionString, null, null, null, null);
    }

    public static StorageAccount WithCredential(Uri tableServiceUri, Uri blobServiceUri, Uri queueServiceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(tableServiceUri);
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(queueServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageAccount(null, tableServiceUri, blobServiceUri, queueServiceUri, credential);
    }

    /// <summary>The public cloud's service URI of an account, as the host derives it from __accountName.</summary>
    public static Uri ServiceUri(string accountName, string service, string endpointSuffix = "core.windows.net") =>
        new($"https://{accountName}.{service}.{endpointSuffix}/");
}

using Azure.Core;
using DocServer.Storage;
using Microsoft.Extensions.Azure;

namespace DocServer.Functions.Configuration;

/// <summary>
/// AzureWebJobsStorage, read as the Functions host reads it: a connection string (UseDevelopmentStorage=true
/// for Azurite), or the identity-based form: <c>__accountName</c>, or <c>__tableServiceUri</c> /
/// <c>__blobServiceUri</c> / <c>__queueServiceUri</c>, with <c>__credential</c> ("managedidentity") and
/// <c>__clientId</c> for a user-assigned identity; without them, DefaultAzureCredential.
/// The identity form wins: in Azure the app settings name the account, while appsettings.json still
/// carries the local default connection string.
/// </summary>
internal static class StorageAccountSettings
{
    public const string Name = "AzureWebJobsStorage";

    public static StorageAccount From(IConfiguration configuration, AzureComponentFactory credentials)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(credentials);
        var section = configuration.GetSection(Name);
        var accountName = section["accountName"];
        var table = ServiceUri(section, "table", accountName);
        var blob = ServiceUri(section, "blob", accountName);
        var queue = ServiceUri(section, "queue", accountName);
        if (table is not null || blob is not null || queue is not null)
        {
            if (table is null || blob is null || queue is null)
            {
                throw new InvalidOperationException(
                    $"{Name}: the identity-based form needs {Name}__accountName, or all three of {Name}__tableServiceUri, __blobServiceUri and __queueServiceUri.");
            }

            TokenCredential credential = credentials.CreateTokenCredential(section);
            return StorageAccount.WithCredential(table, blob, queue, credential);
        }

        if (section.Value is { Length: > 0 } connectionString)
        {
            return StorageAccount.FromConnectionString(connectionString);
        }

        throw new InvalidOperationException(
            $"No storage configured: set {Name} to a connection string (UseDevelopmentStorage=true for Azurite), " +
            $"or {Name}__accountName to use the app's managed identity.");
    }

    private static Uri? ServiceUri(IConfiguration section, string service, string? accountName)
    {
        if (section[$"{service}ServiceUri"] is { Length: > 0 } given)
        {
            return Uri.TryCreate(given, UriKind.Absolute, out var uri)
                ? uri
                : throw new InvalidOperationException($"{Name}__{service}ServiceUri '{given}' is not an absolute URI.");
        }

        return accountName is { Length: > 0 } ? StorageAccount.ServiceUri(accountName, service) : null;
    }
}

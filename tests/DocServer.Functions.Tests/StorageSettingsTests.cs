using Azure.Identity;
using DocServer.Functions.Configuration;
using DocServer.Storage;
using DocServer.Testing;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DocServer.Functions.Tests;

/// <summary>
/// AzureWebJobsStorage in each form the Functions host reads, turned into the SDK clients the app uses:
/// their endpoints and credential. (No token can be had here, so nothing is sent with the identity forms.)
/// </summary>
public sealed class StorageSettingsTests
{
    [Fact]
    public async Task ConnectionString_GivesClientsOnItsEndpointsWithoutACredential()
    {
        var azurite = await AzuriteServer.GetAsync();
        var table = new Uri(azurite.ConnectionString.Split(';').Single(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal))["TableEndpoint=".Length..]);

        var clients = Clients(new() { ["AzureWebJobsStorage"] = azurite.ConnectionString });

        Assert.Equal(table.AbsoluteUri.TrimEnd('/'), clients.TableEndpoint.AbsoluteUri.TrimEnd('/'));
        Assert.Equal(AzuriteServer.DevelopmentAccountName, clients.AccountName);
        Assert.Null(clients.Account.Credential);
    }

    [Fact]
    public void AccountName_GivesThePublicCloudEndpointsAndDefaultAzureCredential_AndWinsOverTheLocalDefault()
    {
        var clients = Clients(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AzureWebJobsStorage:accountName"] = "docserverprod",
        });

        Assert.Equal(new Uri("https://docserverprod.table.core.windows.net/"), clients.TableEndpoint);
        Assert.Equal(new Uri("https://docserverprod.blob.core.windows.net/"), clients.BlobEndpoint);
        Assert.Equal(new Uri("https://docserverprod.queue.core.windows.net/"), clients.QueueEndpoint);
        Assert.IsType<DefaultAzureCredential>(clients.Account.Credential);
        Assert.Null(clients.Account.ConnectionString);
    }

    [Fact]
    public void UserAssignedIdentity_GivesAManagedIdentityCredential()
    {
        var clients = Clients(new()
        {
            ["AzureWebJobsStorage:accountName"] = "docserverprod",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
        });

        Assert.IsType<ManagedIdentityCredential>(clients.Account.Credential);
    }

    [Fact]
    public void ServiceUris_AreUsedAsGiven()
    {
        var clients = Clients(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://docs.table.core.chinacloudapi.cn/",
            ["AzureWebJobsStorage:blobServiceUri"] = "https://docs.blob.core.chinacloudapi.cn/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://docs.queue.core.chinacloudapi.cn/",
        });

        Assert.Equal(new Uri("https://docs.table.core.chinacloudapi.cn/"), clients.TableEndpoint);
        Assert.Equal(new Uri("https://docs.blob.core.chinacloudapi.cn/"), clients.BlobEndpoint);
        Assert.Equal(new Uri("https://docs.queue.core.chinacloudapi.cn/"), clients.QueueEndpoint);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "https://docs.table.core.windows.net/", "needs AzureWebJobsStorage__accountName, or all three")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "not a uri", "is not an absolute URI")]
    [InlineData("Unrelated", "x", "No storage configured")]
    public void IncompleteSettings_FailNamingWhatIsMissing(string name, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Clients(new() { [name] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static StorageClients Clients(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection().AddLogging();
        collection.AddAzureClientsCore();
        using var services = collection.BuildServiceProvider();
        var account = StorageAccountSettings.From(configuration, services.GetRequiredService<AzureComponentFactory>());
        return new StorageClients(account, new StorageRetry(TimeSpan.FromSeconds(2), 1, TimeSpan.FromMilliseconds(50)));
    }
}

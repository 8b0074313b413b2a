using DocServer.Functions.Configuration;
using DocServer.Storage;
using Microsoft.Extensions.Configuration;

namespace DocServer.Functions.Tests;

public sealed class StorageSettingsTests
{
    [Fact]
    public void AccountName_WinsOverTheLocalDefaultConnectionString()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AzureWebJobsStorage:accountName"] = "docserverprod",
        }).Build();

        var account = StorageResources.AccountFrom(configuration);

        Assert.Equal("docserverprod", account.Name);
        Assert.NotNull(account.Token);
        Assert.Null(account.SharedKey);
        Assert.Equal(new Uri("https://docserverprod.table.core.windows.net/"), account.TableEndpoint);
    }

    [Fact]
    public void ConnectionStringAlone_IsUsed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Build();

        Assert.Equal(StorageAccount.DevelopmentAccountName, StorageResources.AccountFrom(configuration).Name);
    }
}

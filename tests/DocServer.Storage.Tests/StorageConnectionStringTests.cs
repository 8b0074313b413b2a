using DocServer.Storage;

namespace DocServer.Storage.Tests;

public sealed class StorageConnectionStringTests
{
    [Fact]
    public void Parse_UseDevelopmentStorage_IsAzuriteOnItsDefaultPorts()
    {
        var account = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/"), account.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/"), account.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1/"), account.QueueEndpoint);
        Assert.NotNull(account.SharedKey);
    }

    [Fact]
    public void Parse_AccountKeyForm_BuildsEndpointsFromTheSuffix()
    {
        var account = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=docs;AccountKey={StorageAccount.DevelopmentAccountKey};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://docs.table.core.chinacloudapi.cn/"), account.TableEndpoint);
        Assert.Equal(new Uri("https://docs.queue.core.chinacloudapi.cn/"), account.QueueEndpoint);
    }

    [Fact]
    public void Parse_ExplicitEndpoints_WinOverTheDefaults()
    {
        var account = StorageConnectionString.Parse($"AccountName=devstoreaccount1;AccountKey={StorageAccount.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:20002/devstoreaccount1");

        Assert.Equal(new Uri("http://127.0.0.1:20002/devstoreaccount1/"), account.TableEndpoint);
        Assert.Equal(new Uri("https://devstoreaccount1.blob.core.windows.net/"), account.BlobEndpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountName=x", "AccountKey")]
    [InlineData("AccountKey=abcd", "AccountName")]
    [InlineData("AccountName=x;AccountKey=abcd;TableEndpoint=ftp://h/x", "TableEndpoint")]
    [InlineData("AccountName=x;garbage;AccountKey=abcd", "garbage")]
    public void Parse_BadConnectionString_NamesWhatIsWrong(string connectionString, string named)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadSegmentHoldingTheKey_DoesNotEchoTheKey()
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=x;AccountKey"));

        Assert.DoesNotContain("AccountKey=", error.Message.Replace("AccountKey=***", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

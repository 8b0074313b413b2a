using DocServer.Storage.Blobs;
using DocServer.Storage.Queues;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Tables;

/// <summary>The Blob and Queue clients against Azurite (same pipeline and signing as the Table client).</summary>
public sealed class BlobAndQueueClientTests
{
    [Fact]
    public async Task Blob_UploadDownloadListByPrefixDelete()
    {
        var container = new BlobContainerClient((await AzuriteServer.GetAsync()).Account, "c" + Guid.NewGuid().ToString("N")[..20]);
        await container.CreateIfNotExistsAsync(CancellationToken.None);
        await container.CreateIfNotExistsAsync(CancellationToken.None);

        await container.UploadAsync("digests/2026 11 21.md", BinaryData.FromString("# 다이제스트"), "text/markdown; charset=utf-8", CancellationToken.None);
        await container.UploadAsync("digests/b.json", BinaryData.FromString("{}"), "application/json", CancellationToken.None);
        await container.UploadAsync("other.txt", BinaryData.FromString("x"), "text/plain", CancellationToken.None);

        var downloaded = await container.DownloadAsync("digests/2026 11 21.md", CancellationToken.None);
        Assert.Equal("# 다이제스트", downloaded!.Data.ToString());
        Assert.StartsWith("text/markdown", downloaded.ContentType, StringComparison.Ordinal);
        var listed = new List<string>();
        await foreach (var blob in container.ListAsync("digests/", CancellationToken.None))
        {
            listed.Add(blob.Name);
        }

        Assert.Equal(["digests/2026 11 21.md", "digests/b.json"], listed);
        Assert.True(await container.DeleteAsync("other.txt", CancellationToken.None));
        Assert.False(await container.DeleteAsync("other.txt", CancellationToken.None));
        Assert.Null(await container.DownloadAsync("other.txt", CancellationToken.None));
    }

    [Fact]
    public async Task Queue_SendReceiveHidesTheMessageThenDeleteRemovesIt()
    {
        var queue = new QueueClient((await AzuriteServer.GetAsync()).Account, "q" + Guid.NewGuid().ToString("N")[..20]);
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        await queue.SendAsync("문서 <1> & \"id\"", CancellationToken.None);

        var received = Assert.Single(await queue.ReceiveAsync(4, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal("문서 <1> & \"id\"", received.Text);
        Assert.Equal(1, received.DequeueCount);
        Assert.Empty(await queue.ReceiveAsync(4, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await queue.DeleteAsync(received, CancellationToken.None));
        Assert.False(await queue.DeleteAsync(received, CancellationToken.None));
    }
}

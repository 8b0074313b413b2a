using Azure.Storage.Queues;
using DocServer.Storage.Queues;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Stores;

/// <summary>The work queue on Azurite through the SDK: the host's message encoding, receipts, visibility.</summary>
public sealed class QueuedWorkTests
{
    [Fact]
    public async Task Send_WritesBase64_AsTheFunctionsHostReadsAndWritesIt()
    {
        var azurite = await AzuriteServer.GetAsync();
        var name = AzuriteServer.UniqueName("q");
        var queue = new QueuedWork(azurite.Clients(), name);
        await queue.CreateIfNotExistsAsync(CancellationToken.None);

        await queue.SendAsync("tenancy-문서", CancellationToken.None);

        var raw = new QueueClient(azurite.ConnectionString, name);
        var peeked = (await raw.PeekMessageAsync()).Value;
        Assert.Equal(Convert.ToBase64String("tenancy-문서"u8.ToArray()), peeked.Body.ToString());
        var received = Assert.Single(await queue.ReceiveAsync(4, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal("tenancy-문서", received.Text);
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task Delete_AfterAnotherReceiverTookTheMessage_AnswersFalse()
    {
        var queue = await NewQueueAsync();
        await queue.SendAsync("doc", CancellationToken.None);
        var mine = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(1), CancellationToken.None));
        await Task.Delay(1600);
        var theirs = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.False(await queue.DeleteAsync(mine, CancellationToken.None));
        Assert.Equal(2, theirs.DequeueCount);
        Assert.True(await queue.DeleteAsync(theirs, CancellationToken.None));
    }

    private static async Task<QueuedWork> NewQueueAsync()
    {
        var queue = new QueuedWork((await AzuriteServer.GetAsync()).Clients(), AzuriteServer.UniqueName("q"));
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        return queue;
    }
}

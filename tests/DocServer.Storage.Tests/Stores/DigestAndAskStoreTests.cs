using DocServer.Storage.Asks;
using DocServer.Storage.Digests;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Stores;

/// <summary>Digest state (claimed with If-Match), checkpoints and blobs; asynchronous ask results.</summary>
public sealed class DigestAndAskStoreTests
{
    [Fact]
    public async Task TryWriteState_FromAStaleRead_LosesToTheWriterBefore()
    {
        var store = new DigestStore((await AzuriteServer.GetAsync()).Clients(), AzuriteServer.UniqueName("g")[..12]);
        await store.CreateIfNotExistsAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        Assert.True(await store.TryWriteStateAsync(new DigestRunState(null, null, null, now, null), null, CancellationToken.None));
        Assert.False(await store.TryWriteStateAsync(new DigestRunState(null, null, null, now, null), null, CancellationToken.None));
        var read = (await store.GetStateAsync(CancellationToken.None))!;

        Assert.True(await store.TryWriteStateAsync(read with { PendingRun = "run-a", PendingFrom = now, PendingTo = now }, read, CancellationToken.None));
        Assert.False(await store.TryWriteStateAsync(read with { PendingRun = "run-b", PendingFrom = now, PendingTo = now }, read, CancellationToken.None));

        Assert.Equal("run-a", (await store.GetStateAsync(CancellationToken.None))!.PendingRun);
    }

    [Fact]
    public async Task CheckpointsAndDigests_RoundTrip_NewestFirst()
    {
        var store = new DigestStore((await AzuriteServer.GetAsync()).Clients(), AzuriteServer.UniqueName("g")[..12]);
        await store.CreateIfNotExistsAsync(CancellationToken.None);

        await store.SaveCheckpointAsync("run1", "doc", "요약입니다.", ["규칙", "절차"], CancellationToken.None);
        await store.SaveDigestAsync("20260101T000000Z", "{}", "# one", CancellationToken.None);
        await store.SaveDigestAsync("20260102T000000Z", "{\"n\":2}", "# two", CancellationToken.None);

        var checkpoint = await store.GetCheckpointAsync("run1", "doc", CancellationToken.None);
        Assert.Equal("요약입니다.", checkpoint!.Value.Summary);
        Assert.Equal(["규칙", "절차"], checkpoint.Value.Keywords);
        Assert.Null(await store.GetCheckpointAsync("run1", "other", CancellationToken.None));
        Assert.Equal(["20260102T000000Z", "20260101T000000Z"], await store.ListIdsAsync(CancellationToken.None));
        Assert.Equal("# two", await store.GetMarkdownAsync("20260102T000000Z", CancellationToken.None));
        Assert.Null(await store.GetJsonAsync("missing", CancellationToken.None));
    }

    [Fact]
    public async Task AskResults_RunningThenDoneWithItsResult_OrFailedWithItsMessage()
    {
        var store = new AskResultStore((await AzuriteServer.GetAsync()).Clients(), AzuriteServer.UniqueName("a")[..12]);
        await store.CreateIfNotExistsAsync(CancellationToken.None);
        var expires = DateTimeOffset.UtcNow.AddHours(1);

        await store.StartAsync("one", expires, CancellationToken.None);
        Assert.Equal(AskStatus.Running, (await store.GetAsync("one", CancellationToken.None))!.Status);
        await store.CompleteAsync("one", "{\"answer\":\"yes\"}", expires, CancellationToken.None);
        await store.StartAsync("two", expires, CancellationToken.None);
        await store.FailAsync("two", "see the logs", expires, CancellationToken.None);

        var done = (await store.GetAsync("one", CancellationToken.None))!;
        Assert.Equal((AskStatus.Done, "{\"answer\":\"yes\"}"), (done.Status, done.ResultJson));
        var failed = (await store.GetAsync("two", CancellationToken.None))!;
        Assert.Equal((AskStatus.Failed, "see the logs", (string?)null), (failed.Status, failed.Error, failed.ResultJson));
        Assert.Null(await store.GetAsync("three", CancellationToken.None));
    }
}

using DocServer.Storage.Digests;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Stores;

/// <summary>Digest state (claimed with If-Match) and digest blobs on Azurite.</summary>
public sealed class DigestStoreTests
{
    [Fact]
    public async Task TryWriteState_FromAStaleRead_LosesToTheWriterBefore()
    {
        var store = new DigestStore((await AzuriteServer.GetAsync()).Clients(), AzuriteServer.UniqueName("g")[..12]);
        await store.CreateIfNotExistsAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        Assert.True(await store.TryWriteStateAsync(new DigestRunState(null, now, now, null), null, CancellationToken.None));
        Assert.False(await store.TryWriteStateAsync(new DigestRunState(null, now, now, null), null, CancellationToken.None));
        var read = (await store.GetStateAsync(CancellationToken.None))!;

        Assert.True(await store.TryWriteStateAsync(read with { LastRun = "run-a", LastCutoff = now.AddMinutes(1) }, read, CancellationToken.None));
        Assert.False(await store.TryWriteStateAsync(read with { LastRun = "run-b", LastCutoff = now.AddMinutes(2) }, read, CancellationToken.None));

        var state = (await store.GetStateAsync(CancellationToken.None))!;
        Assert.Equal("run-a", state.LastRun);
        Assert.Equal(now.AddMinutes(1), state.LastCutoff);
        Assert.Equal(now, state.LastFrom);
    }

    [Fact]
    public async Task Digests_RoundTrip_NewestFirst()
    {
        var store = new DigestStore((await AzuriteServer.GetAsync()).Clients(), AzuriteServer.UniqueName("g")[..12]);
        await store.CreateIfNotExistsAsync(CancellationToken.None);

        await store.SaveDigestAsync("20260101T000000Z", "{}", "# one", CancellationToken.None);
        await store.SaveDigestAsync("20260102T000000Z", "{\"n\":2}", "# 요약", CancellationToken.None);

        Assert.Equal(["20260102T000000Z", "20260101T000000Z"], await store.ListIdsAsync(CancellationToken.None));
        Assert.Equal("# 요약", await store.GetMarkdownAsync("20260102T000000Z", CancellationToken.None));
        Assert.Equal("{\"n\":2}", await store.GetJsonAsync("20260102T000000Z", CancellationToken.None));
        Assert.Null(await store.GetJsonAsync("missing", CancellationToken.None));
    }
}

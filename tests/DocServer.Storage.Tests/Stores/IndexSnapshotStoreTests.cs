using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Stores;

public sealed class IndexSnapshotStoreTests
{
    [Fact]
    public async Task Read_NothingWrittenYet_IsNull()
    {
        var store = await NewStoreAsync();

        Assert.Null(await store.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteThenRead_GivesEveryDocumentWithItsVersionAndChunks_AndTheNewestGenerationWins()
    {
        var store = await NewStoreAsync();
        var first = Documents(40, "v1");
        var second = Documents(25, "v2");

        Assert.True(await store.TryWriteAsync(first, "0001", CancellationToken.None));
        Assert.True(await store.TryWriteAsync(second, "0002", CancellationToken.None));
        var read = await store.ReadAsync(CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(second.Select(d => (d.Id, d.Version)).Order(), read.Select(d => (d.Id, d.Version)).Order());
        var doc = read.Single(d => d.Id == "doc7");
        Assert.Equal(second.Single(d => d.Id == "doc7").Chunks.Select(c => (c.Index, c.Title, c.Text)), doc.Chunks.Select(c => (c.Index, c.Title, c.Text)));
    }

    [Fact]
    public async Task TryWrite_TwoWritersAtOnce_OnlyOneWrites_AndTheSnapshotIsWhole()
    {
        var store = await NewStoreAsync();
        var writers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => store.TryWriteAsync(Documents(30, $"w{i}"), $"000{i}", CancellationToken.None)));

        var read = await store.ReadAsync(CancellationToken.None);
        Assert.Contains(true, writers);
        Assert.NotNull(read);
        Assert.Equal(30, read.Count);
        Assert.Single(read.Select(d => d.Version).Distinct());
    }

    private static List<SnapshotDocument> Documents(int count, string version) =>
        [.. Enumerable.Range(0, count).Select(d => new SnapshotDocument(
            $"doc{d}", version, DateTimeOffset.UnixEpoch.AddDays(d),
            [.. Enumerable.Range(0, 3).Select(c => new DocumentChunk($"doc{d}", c, $"문서 {d}", null, $"{version} chunk {c} of document {d}: 연차휴가 신청"))]))];

    private static async Task<IndexSnapshotStore> NewStoreAsync()
    {
        var store = new IndexSnapshotStore((await AzuriteServer.GetAsync()).Clients(), "s" + Guid.NewGuid().ToString("N")[..10]);
        await store.CreateIfNotExistsAsync(CancellationToken.None);
        return store;
    }
}

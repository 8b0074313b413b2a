using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Stores;

public sealed class IndexSnapshotStoreTests
{
    [Fact]
    public async Task Open_NothingWrittenYet_IsNull()
    {
        var (store, _) = await NewStoreAsync();

        Assert.Null(await store.OpenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteThenRead_GivesEveryDocumentsVersionAndItsPartOfTheIndex_AndTheNewestGenerationWins()
    {
        var (store, _) = await NewStoreAsync();
        var first = new Corpus(40, "v1");
        var second = new Corpus(25, "v2");

        Assert.True(await first.WriteAsync(store, "0001"));
        Assert.True(await second.WriteAsync(store, "0002"));
        var (snapshot, shards) = await ReadAsync(store);

        Assert.Equal(("0002", 25), (snapshot.Generation, snapshot.Documents));
        Assert.Equal(second.Versions.Values.OrderBy(d => d.Id), shards.SelectMany(s => s.Documents).OrderBy(d => d.Id));
        var loaded = new Bm25Index();
        shards.ForEach(s => loaded.AddSegment(s.Index));
        Assert.Equal(second.Index.ChunkCount, loaded.ChunkCount);
        var chunk = loaded.Search("document 7 14", 1).Single();
        Assert.Equal(("doc7:2", "문서 7"), (chunk.ChunkId, chunk.Title));
        foreach (var question in new[] { "연차휴가 document 3", "chunk 1", "신청 v2 19" })
        {
            // Every chunk that matches (the order of ties follows the order loaded), with the same score.
            Assert.Equal(
                second.Index.Search(question, 100).Select(r => (r.ChunkId, r.Score)).Order(),
                loaded.Search(question, 100).Select(r => (r.ChunkId, r.Score)).Order());
        }
    }

    [Fact]
    public async Task TryWrite_TwoWritersAtOnce_OnlyOneWrites_AndTheSnapshotIsWhole()
    {
        var (store, _) = await NewStoreAsync();
        var writers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => new Corpus(30, $"w{i}").WriteAsync(store, $"000{i}")));

        var (_, shards) = await ReadAsync(store);
        Assert.Contains(true, writers);
        Assert.Equal(30, shards.Sum(s => s.Documents.Count));
        Assert.Single(shards.SelectMany(s => s.Documents).Select(d => d.Version).Distinct());
    }

    [Fact]
    public async Task TryWrite_KeepsThePreviousGenerationForItsReaders_AndDeletesOlderOnesAndTheOldFormat()
    {
        var (store, container) = await NewStoreAsync();
        await container.UploadBlobAsync("manifest.json", BinaryData.FromString("{}"));
        await container.UploadBlobAsync("g-0000/0.jsonl.gz", BinaryData.FromString("old"));
        foreach (var generation in new[] { "0001", "0002", "0003" })
        {
            await new Corpus(10, generation).WriteAsync(store, generation);
        }

        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["s-0002", "s-0003", "snapshot.json", "writer"], names.Select(n => n.Split('/')[0]).Distinct().Order());
    }

    [Theory]
    [InlineData("not gzip")]
    [InlineData("cut short")]
    [InlineData("gone")]
    public async Task ReadShards_ADamagedOrMissingShard_IsInvalidData_AfterTheWholeOnesBeforeIt(string damage)
    {
        var (store, container) = await NewStoreAsync();
        await new Corpus(40, "v1").WriteAsync(store, "0001");
        var shard = container.GetBlobClient("s-0001/3.bin.gz");
        var bytes = (await shard.DownloadContentAsync()).Value.Content.ToArray();
        if (damage == "gone")
        {
            await shard.DeleteAsync();
        }
        else
        {
            await shard.UploadAsync(damage == "cut short" ? BinaryData.FromBytes(bytes[..(bytes.Length / 2)]) : BinaryData.FromString("this is not a shard"), overwrite: true);
        }

        var snapshot = await store.OpenAsync(CancellationToken.None);
        var read = new List<SnapshotShard>();
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var whole in store.ReadShardsAsync(snapshot!, CancellationToken.None))
            {
                read.Add(whole);
            }
        });
        Assert.Equal(3, read.Count);
    }

    [Fact]
    public async Task Open_ADamagedManifest_IsInvalidData()
    {
        var (store, container) = await NewStoreAsync();
        await container.UploadBlobAsync("snapshot.json", BinaryData.FromString("{\"generation\":"));

        await Assert.ThrowsAsync<InvalidDataException>(() => store.OpenAsync(CancellationToken.None));
    }

    private static async Task<(IndexSnapshot Snapshot, List<SnapshotShard> Shards)> ReadAsync(IndexSnapshotStore store)
    {
        var snapshot = await store.OpenAsync(CancellationToken.None);
        Assert.NotNull(snapshot);
        var shards = new List<SnapshotShard>();
        await foreach (var shard in store.ReadShardsAsync(snapshot, CancellationToken.None))
        {
            shards.Add(shard);
        }

        return (snapshot, shards);
    }

    /// <summary>Documents of three chunks each at one version, indexed as an instance holds them.</summary>
    private sealed class Corpus
    {
        public Corpus(int count, string version)
        {
            for (var d = 0; d < count; d++)
            {
                var id = $"doc{d}";
                Versions[id] = new SnapshotDocument(id, version, DateTimeOffset.UnixEpoch.AddDays(d).AddTicks(d));
                Index.Add(id, [.. Enumerable.Range(0, 3).Select(c => new DocumentChunk(id, c, $"문서 {d}", c == 1 ? "section" : null, $"{version} chunk {c} of document {d}: 연차휴가 신청 {d * c}"))]);
            }
        }

        public Bm25Index Index { get; } = new();

        public Dictionary<string, SnapshotDocument> Versions { get; } = new(StringComparer.Ordinal);

        public Task<bool> WriteAsync(IndexSnapshotStore store, string generation) =>
            store.TryWriteAsync(Versions.Keys, ids => SnapshotShard.Of(Index.Export(ids), id => Versions[id]), generation, CancellationToken.None);
    }

    private static async Task<(IndexSnapshotStore Store, Azure.Storage.Blobs.BlobContainerClient Container)> NewStoreAsync()
    {
        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        var clients = (await AzuriteServer.GetAsync()).Clients();
        var store = new IndexSnapshotStore(clients, prefix);
        await store.CreateIfNotExistsAsync(CancellationToken.None);
        return (store, clients.Container(prefix + "-index"));
    }
}

using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using FsCheck;
using FsCheck.Fluent;

namespace DocServer.Storage.Tests.Stores;

public sealed class SnapshotShardFormatTests
{
    private static readonly string[] Words = ["notice", "tenancy", "deposit", "연차휴가", "신청", "절차", "보증금", "12", "months"];

    [Fact]
    public void WriteThenRead_RandomShards_GiveBackEveryDocumentChunkTermAndPosting()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(ShardGen().ToArbitrary(), shard =>
        {
            var read = SnapshotShardFormat.Read(Written(shard));

            Assert.Equal(shard.Documents, read.Documents);
            Assert.Equal(shard.Index.Chunks, read.Index.Chunks);
            Assert.Equal(shard.Index.Lengths.ToArray(), read.Index.Lengths.ToArray());
            Assert.Equal(shard.Index.Terms, read.Index.Terms);
            Assert.Equal(shard.Index.TermStarts.ToArray(), read.Index.TermStarts.ToArray());
            Assert.Equal(shard.Index.PostingChunks.ToArray(), read.Index.PostingChunks.ToArray());
            Assert.Equal(shard.Index.PostingFrequencies.ToArray(), read.Index.PostingFrequencies.ToArray());
        }));
    }

    [Fact]
    public void Read_RandomlyDamagedOrCutShards_IsInvalidDataOrAWholeShard_NeverAnythingElse()
    {
        var damage = from shard in ShardGen()
                     from at in Gen.Choose(0, int.MaxValue)
                     from value in Gen.Choose(0, 255)
                     from cut in Gen.Elements(false, true)
                     select (shard, at, value: (byte)value, cut);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(damage.ToArbitrary(), run =>
        {
            var bytes = Written(run.shard).ToArray();
            var at = run.at % bytes.Length;
            bytes[at] = run.cut ? bytes[at] : run.value;
            using var damaged = new MemoryStream(run.cut ? bytes[..at] : bytes);

            var read = Record.Exception(() => SnapshotShardFormat.Read(damaged));

            Assert.True(read is null or InvalidDataException, $"{read?.GetType().Name}: {read?.Message}");
        }));
    }

    [Fact]
    public void Write_DocumentsNotInTheSegmentsOrder_IsRefused()
    {
        var index = new Bm25Index();
        index.Add("a", [new DocumentChunk("a", 0, null, null, "notice")]);
        index.Add("b", [new DocumentChunk("b", 0, null, null, "notice")]);
        var shard = new SnapshotShard([new SnapshotDocument("b", "1", DateTimeOffset.UnixEpoch), new SnapshotDocument("a", "1", DateTimeOffset.UnixEpoch)], index.Export(["a", "b"]));

        Assert.Throws<ArgumentException>(() => SnapshotShardFormat.Write(new MemoryStream(), shard));
    }

    private static MemoryStream Written(SnapshotShard shard)
    {
        var buffer = new MemoryStream();
        SnapshotShardFormat.Write(buffer, shard);
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Up to 12 documents of 1-3 chunks from a small vocabulary, with and without titles and versions.</summary>
    private static Gen<SnapshotShard> ShardGen() =>
        from documents in Gen.Choose(0, 12)
        from words in Gen.ArrayOf(Gen.Choose(0, Words.Length - 1), 200)
        select Shard(documents, words);

    private static SnapshotShard Shard(int documents, int[] words)
    {
        var index = new Bm25Index();
        var versions = new Dictionary<string, SnapshotDocument>();
        for (var d = 0; d < documents; d++)
        {
            var id = $"doc{d}";
            versions[id] = new SnapshotDocument(id, d % 3 == 0 ? null : $"v{d}", DateTimeOffset.UnixEpoch.AddTicks(d * 7919));
            index.Add(id, [.. Enumerable.Range(0, 1 + (d % 3)).Select(c => new DocumentChunk(
                id, c, d % 2 == 0 ? $"제목 {d}" : null, c == 1 ? "section" : null,
                string.Join(' ', Enumerable.Range(0, 1 + ((d + c) % 9)).Select(i => Words[words[(d * 17 + c * 5 + i) % words.Length]]))))]);
        }

        return SnapshotShard.Of(index.Export(versions.Keys), id => versions[id]);
    }
}

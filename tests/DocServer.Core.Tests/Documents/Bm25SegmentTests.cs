using DocServer.Core.Documents;

namespace DocServer.Core.Tests.Documents;

/// <summary>A segment is checked whole when it is made: a damaged snapshot is refused, never searched.</summary>
public sealed class Bm25SegmentTests
{
    private static readonly DocumentChunk[] TwoChunks = [new("a", 0, null, null, "notice notice rent"), new("a", 1, null, null, "rent")];

    [Fact]
    public void Export_TwoChunks_GivesTheirTermsPostingsAndLengths()
    {
        var index = new Bm25Index();
        index.Add("a", TwoChunks);

        var segment = index.Export(["a"]);

        Assert.Equal(["a"], segment.Documents);
        Assert.Equal([3, 1], segment.Lengths.ToArray());
        var notice = segment.Terms.ToList().IndexOf("notice");
        var rent = segment.Terms.ToList().IndexOf("rent");
        Assert.Equal([0], segment.ChunksOf(notice).ToArray());
        Assert.Equal([2], segment.FrequenciesOf(notice).ToArray());
        Assert.Equal([0, 1], segment.ChunksOf(rent).ToArray());
        Assert.Equal([1, 1], segment.FrequenciesOf(rent).ToArray());
    }

    [Fact]
    public void New_Whole_IsAccepted()
    {
        var segment = new Bm25Segment(TwoChunks, [3, 1], ["notice", "rent"], [0, 1, 3], [0, 0, 1], [2, 1, 1]);

        Assert.Equal(2, segment.Chunks.Count);
    }

    [Theory]
    [InlineData("postings out of order")]
    [InlineData("a posting past the last chunk")]
    [InlineData("a lost posting")]
    [InlineData("a term twice")]
    [InlineData("starts that do not cover the postings")]
    [InlineData("a zero frequency")]
    [InlineData("lengths for other chunks")]
    public void New_Damaged_IsInvalidData(string damage)
    {
        int[] lengths = [3, 1];
        string[] terms = ["notice", "rent"];
        int[] starts = [0, 1, 3];
        int[] chunks = [0, 0, 1];
        int[] frequencies = [2, 1, 1];
        switch (damage)
        {
            case "postings out of order": chunks = [0, 1, 0]; break;
            case "a posting past the last chunk": chunks = [0, 0, 2]; break;
            case "a lost posting": (starts, chunks, frequencies) = ([0, 1, 2], [0, 0], [2, 1]); break;
            case "a term twice": terms = ["rent", "rent"]; break;
            case "starts that do not cover the postings": starts = [0, 1, 2]; break;
            case "a zero frequency": frequencies = [2, 0, 1]; break;
            case "lengths for other chunks": lengths = [3, 1, 4]; break;
        }

        Assert.Throws<InvalidDataException>(() => new Bm25Segment(TwoChunks, lengths, terms, starts, chunks, frequencies));
    }

    [Fact]
    public void New_ADocumentsChunksInTwoPlaces_IsInvalidData()
    {
        DocumentChunk[] split = [new("a", 0, null, null, "rent"), new("b", 0, null, null, "rent"), new("a", 1, null, null, "rent")];

        Assert.Throws<InvalidDataException>(() => new Bm25Segment(split, [1, 1, 1], ["rent"], [0, 3], [0, 1, 2], [1, 1, 1]));
    }
}

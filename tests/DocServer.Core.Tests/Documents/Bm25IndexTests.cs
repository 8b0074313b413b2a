using DocServer.Core.Documents;
using DocServer.Testing;

namespace DocServer.Core.Tests.Documents;

public sealed class Bm25IndexTests
{
    [Fact]
    public void Tokenizer_HangulBigramsAndLatinWordsWithoutStopWords()
    {
        Assert.Equal(["연차", "차휴", "휴가", "휴가", "가를", "notice", "2", "months"], Bm25Tokenizer.Terms("연차휴가 휴가를 the Notice of 2 months"));
    }

    [Fact]
    public void Search_KoreanWordWithParticle_FindsTheChunkAndScoresItBetweenZeroAndOne()
    {
        var index = Indexed();

        var results = index.Search("연차휴가 신청 절차는", 5);

        Assert.Equal("rules", results[0].DocId);
        Assert.All(results, r => Assert.InRange(r.RerankScore!.Value, 0, 1));
        Assert.True(results[0].RerankScore >= 0.25, $"the matching chunk scores {results[0].RerankScore}");
    }

    [Fact]
    public void Search_QuestionSharingOnlyFunctionWordsWithADocument_DoesNotFindIt()
    {
        var index = Indexed();

        Assert.DoesNotContain(index.Search("What is the notice period for ending the tenancy?", 5), r => r.DocId == "boiler");
    }

    [Fact]
    public void Search_WordTheCorpusLacks_LowersEveryScore()
    {
        var index = Indexed();

        var full = index.Search("boiler serviced", 1)[0].RerankScore;
        var withUnknown = index.Search("boiler serviced xylophone", 1)[0].RerankScore;

        Assert.True(withUnknown < full);
    }

    [Fact]
    public void Remove_TakesTheDocumentOutOfResults()
    {
        var index = Indexed();

        Assert.True(index.Remove("tenancy"));

        Assert.DoesNotContain(index.Search("notice tenancy", 10), r => r.DocId == "tenancy");
        Assert.False(index.Remove("tenancy"));
        Assert.Equal(2, index.DocumentCount);
    }

    private static Bm25Index Indexed()
    {
        var index = new Bm25Index();
        index.Add("rules", DocumentChunker.Chunk("rules", "취업규칙", EvidenceFixtures.KoreanLeaveRule, markdown: false));
        index.Add("tenancy", DocumentChunker.Chunk("tenancy", "Tenancy", EvidenceFixtures.EnglishTenancy, markdown: false));
        index.Add("boiler", DocumentChunker.Chunk("boiler", "Boiler", EvidenceFixtures.EnglishBoiler, markdown: false));
        return index;
    }
}

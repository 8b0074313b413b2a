using System.Text;
using DocServer.Core.Text;
using DocServer.Testing;

namespace DocServer.Core.Tests.Text;

public sealed class QueryWindowTests
{
    [Fact]
    public void QueryTokens_HangulRunsAndLatinWords_LowerCasedWithoutStopWordsAndCriticalBySuffix()
    {
        var tokens = QueryTokens.Of("연차휴가 신청 절차 and the NOTICE of 2 months");

        // "and", "the" are English function words; "2" and "of" are too short.
        Assert.Equal(["연차휴가", "신청", "절차", "notice", "months"], tokens.All);
        Assert.Equal(["연차휴가", "절차", "notice", "months"], tokens.Critical);
    }

    [Fact]
    public void E5_Window_CentresOnTheStretchWithMostHits()
    {
        var text = EvidenceFixtures.KoreanLeaveRule;
        var window = QueryWindow.Find(FoldedText.Of(text), QueryTokens.Of("연차휴가 신청 절차"), 300);

        Assert.True(window.HasHit);
        Assert.True(window.Length <= 300);
        Assert.True(window.Start > 0, "not the head of the chunk");
        Assert.Contains("신청 절차", window.Of(text), StringComparison.Ordinal);
    }

    [Fact]
    public void E5_Window_ShrinksToSentenceBoundariesAroundTheHits()
    {
        var text = "Alpha one two three. The notice period is two months for the tenancy here. Beta four five six seven eight nine ten.";
        var window = QueryWindow.Find(FoldedText.Of(text), QueryTokens.Of("notice period tenancy"), 80);

        Assert.Equal("The notice period is two months for the tenancy here.", window.Of(text));
    }

    [Fact]
    public void Window_ShortText_IsTheWholeText()
    {
        var window = QueryWindow.Find(FoldedText.Of("short text"), QueryTokens.Of("text"), 200);

        Assert.Equal(new TextWindow(0, 10, 1), window);
    }

    [Fact]
    public void Window_NoHit_SaysSoInsteadOfReturningTheHead()
    {
        var window = QueryWindow.Find(FoldedText.Of(EvidenceFixtures.EnglishTenancy), QueryTokens.Of("볼트 토크 규격"), 200);

        Assert.False(window.HasHit);
        Assert.Equal(0, window.Length);
    }

    [Fact]
    public void Window_MatchesCaseInsensitively()
    {
        var text = new string('x', 300) + " NOTICE Period " + new string('y', 300);
        var window = QueryWindow.Find(FoldedText.Of(text), QueryTokens.Of("notice period"), 100);

        Assert.True(window.HasHit);
        Assert.Contains("NOTICE Period", window.Of(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Window_DecomposedHangulSource_MatchesNfcQueryWithOffsetsIntoTheSource()
    {
        var nfd = (new string('가', 200) + " 연차휴가 신청 " + new string('나', 200)).Normalize(NormalizationForm.FormD);
        var window = QueryWindow.Find(FoldedText.Of(nfd), QueryTokens.Of("연차휴가 신청"), 60);

        Assert.True(window.HasHit);
        var piece = window.Of(nfd);
        Assert.Contains("연차휴가 신청", piece.Normalize(NormalizationForm.FormC), StringComparison.Ordinal);
        Assert.True(TextElements.IsBoundary(nfd, window.Start) && TextElements.IsBoundary(nfd, window.End));
    }

    [Theory]
    [InlineData("😀")]
    [InlineData("e\u0301")]
    [InlineData("👩‍👩‍👧")]
    [InlineData("각")]
    public void Window_NeverSplitsASurrogatePairOrCombiningSequence(string grapheme)
    {
        var filler = string.Concat(Enumerable.Repeat(grapheme, 150));
        var text = filler + "notice" + filler;
        var tokens = QueryTokens.Of("notice");
        for (var target = 8; target < 60; target++)
        {
            var window = QueryWindow.Find(FoldedText.Of(text), tokens, target);
            Assert.True(TextElements.IsBoundary(text, window.Start), $"start {window.Start} splits a grapheme (target {target})");
            Assert.True(TextElements.IsBoundary(text, window.End), $"end {window.End} splits a grapheme (target {target})");
            Assert.True(window.Length <= target);
        }
    }

    [Fact]
    public void TextElements_FloorAndCeiling_LandOnGraphemeBoundaries()
    {
        var text = "ab😀cd";

        Assert.False(TextElements.IsBoundary(text, 3));
        Assert.Equal(2, TextElements.Floor(text, 3));
        Assert.Equal(4, TextElements.Ceiling(text, 3));
        Assert.Equal(4, TextElements.Floor(text, 4));
    }
}

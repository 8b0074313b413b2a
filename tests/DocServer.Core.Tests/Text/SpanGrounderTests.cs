using DocServer.Core.Text;
using DocServer.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace DocServer.Core.Tests.Text;

public sealed class SpanGrounderTests
{
    private const string Source = EvidenceFixtures.EnglishTenancy;

    [Fact]
    public void E18_VerbatimSpan_IsExactWithItsOffsets()
    {
        var grounded = SpanGrounder.Ground(Source, EvidenceFixtures.EnglishNoticeSentence);

        Assert.Equal(Grounding.Exact, grounded.Grounding);
        Assert.Equal(EvidenceFixtures.EnglishNoticeSentence, Source[grounded.Start..grounded.End]);
    }

    [Fact]
    public void E18_SpanDifferingOnlyInCaseAndWhitespace_SnapsToTheSourceText()
    {
        var grounded = SpanGrounder.Ground(Source, "ENDING THE TENANCY:   either party may end\nthis tenancy");

        Assert.Equal(Grounding.Snapped, grounded.Grounding);
        Assert.Equal("Ending the tenancy: either party may end this tenancy", Source[grounded.Start..grounded.End]);
    }

    [Fact]
    public void E18_LightlyEditedSpan_SnapsToTheBestMatchingPassage()
    {
        var edited = "either party can end this tenancy after the fixed term by giving the other at least 2 months notice in writing";

        var grounded = SpanGrounder.Ground(Source, edited);

        Assert.Equal(Grounding.Snapped, grounded.Grounding);
        Assert.True(grounded.Similarity >= SpanGrounder.MinSimilarity);
        Assert.Contains("at least two months' notice in writing", Source[grounded.Start..grounded.End], StringComparison.Ordinal);
    }

    [Fact]
    public void E18_KoreanSpanWithChangedEndings_SnapsToTheRule()
    {
        var source = EvidenceFixtures.KoreanLeaveRule;
        var edited = "연차휴가를 사용하려는 직원은 사용 예정일 3일 전까지 전자결재 시스템에서 휴가신청서를 작성해 팀장 승인을 받아야 함";

        var grounded = SpanGrounder.Ground(source, edited);

        Assert.Equal(Grounding.Snapped, grounded.Grounding);
        Assert.Contains("전자결재 시스템에서 휴가신청서를 작성하여", source[grounded.Start..grounded.End], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The landlord must pay the tenant compensation for every month of the tenancy.")]
    [InlineData("Tenants may give notice whenever they like, by phone.")]
    [InlineData("")]
    [InlineData("   ")]
    public void E18_ParaphraseOrInventedSpan_IsDropped(string span)
    {
        Assert.Equal(Grounding.Dropped, SpanGrounder.Ground(Source, span).Grounding);
    }

    [Fact]
    public void E18_AnySpanAgainstAnySource_IsDroppedOrAnInBoundsSubstring()
    {
        var text = Gen.Elements("연차", "휴가", "신청", "notice", "two", "months", " ", ". ", "😀", "e\u0301", "\n", "팀장의 승인")
            .ListOf().Select(parts => string.Concat(parts));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Gen.Zip(text, text).ToArbitrary(), pair =>
        {
            var (source, span) = pair;
            var grounded = SpanGrounder.Ground(source, span);
            if (grounded.Grounding == Grounding.Dropped)
            {
                return;
            }

            Assert.InRange(grounded.Start, 0, source.Length);
            Assert.InRange(grounded.End, grounded.Start, source.Length);
            Assert.True(TextElements.IsBoundary(source, grounded.Start) && TextElements.IsBoundary(source, grounded.End));
        }));
    }
}

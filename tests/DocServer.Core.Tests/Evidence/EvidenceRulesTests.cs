using DocServer.Core.Evidence;
using DocServer.Core.Text;
using DocServer.Testing;

namespace DocServer.Core.Tests.Evidence;

public sealed class EvidenceRulesTests
{
    private static readonly EvidenceRules Rules = new(new EvidenceOptions());
    private static readonly QueryTokens Korean = QueryTokens.Of(EvidenceFixtures.KoreanQuestion);

    [Fact]
    public void E2_Candidates_CutLowScoresKeepTwoPerDocumentAndSixInAll()
    {
        var results = Enumerable.Range(0, 12)
            .Select(i => new SearchResult($"doc{i % 4}", $"c{i}", "t", null, "연차휴가 " + i, 0.9, i == 5 ? 0.1 : 0.9))
            .ToList();

        var candidates = Rules.SelectCandidates(results, Korean);

        Assert.Equal(6, candidates.Count);
        Assert.Equal(Enumerable.Range(1, 6), candidates.Select(c => c.N));
        Assert.DoesNotContain(candidates, c => c.Result.ChunkId == "c5");
        Assert.All(candidates.GroupBy(c => c.Result.DocId), g => Assert.True(g.Count() <= 2));
    }

    [Fact]
    public void E2_WithoutRerankScore_TheRetrievalScoreDecides()
    {
        var results = new[]
        {
            new SearchResult("a", null, null, null, "text", 0.3, null),
            new SearchResult("b", null, null, null, "text", 0.2, null),
            new SearchResult("c", null, null, null, "text", null, null),
        };

        Assert.Equal(["a"], Rules.SelectCandidates(results, Korean).Select(c => c.Result.DocId));
    }

    [Fact]
    public void E5_CandidateWindow_IsQueryCentredAndAtMost1200Chars()
    {
        var candidate = Rules.SelectCandidates(EvidenceFixtures.KoreanResults(), Korean)[0];

        Assert.True(EvidenceFixtures.KoreanLeaveRule.Length > 1200);
        Assert.True(candidate.Window.Length <= 1200);
        Assert.True(candidate.WindowStart > 0, "the window is not the head of the chunk");
        Assert.Contains(EvidenceFixtures.KoreanProcedureSentence, candidate.Window, StringComparison.Ordinal);
        Assert.Equal(EvidenceFixtures.KoreanLeaveRule.Substring(candidate.WindowStart, candidate.Window.Length), candidate.Window);
    }

    [Fact]
    public void E5_ChunkWithoutAnyQueryHit_IsMarkedUnanchored()
    {
        var unrelated = new SearchResult("x", null, null, null, string.Concat(Enumerable.Repeat("Unrelated filler sentence here. ", 60)), 0.9, 0.9);

        var candidate = Assert.Single(Rules.SelectCandidates([unrelated], Korean));

        Assert.False(candidate.Anchored);
        Assert.True(candidate.Window.Length <= 1200);
    }

    [Fact]
    public void E9_E10_E18_ModelItems_ValidatedGroundedAndNormalised()
    {
        var candidates = Rules.SelectCandidates(EvidenceFixtures.KoreanResults(), Korean);
        var reply = new List<ReplyItem>
        {
            new(1, EvidenceFixtures.KoreanProcedureSentence, 0.95),
            new(0, EvidenceFixtures.KoreanProcedureSentence, 0.9),
            new(99, EvidenceFixtures.KoreanProcedureSentence, 0.9),
            new(1, EvidenceFixtures.KoreanProcedureSentence, 0.49),
            new(1, "   ", 0.9),
            new(2, "이 문장은 원문에 존재하지 않는 지어낸 문장이며 근거로 쓰일 수 없는 내용입니다 정말로", 0.9),
        };

        var accepted = Rules.AcceptModelItems(reply, candidates, Korean);

        var item = Assert.Single(accepted.Items);
        Assert.Equal(1, accepted.Exact);
        Assert.Equal(1, accepted.Dropped);
        Assert.Equal(EvidenceSource.Llm, item.Source);
        Assert.Equal(EvidenceFixtures.KoreanProcedureSentence, item.Span);
        Assert.Equal(item.Span, EvidenceFixtures.KoreanLeaveRule[item.Start..item.End]);
    }

    [Fact]
    public void E10_ShortSpan_IsReplacedByA120CharQueryCentredWindow()
    {
        var candidates = Rules.SelectCandidates(EvidenceFixtures.KoreanResults(), Korean);

        var accepted = Rules.AcceptModelItems([new ReplyItem(1, "15일의 유급휴가를 준다.", 0.9)], candidates, Korean);

        var item = Assert.Single(accepted.Items);
        Assert.Equal(1, accepted.Expanded);
        Assert.InRange(item.Span.Length, 80, 120);
        Assert.Contains(Korean.All, t => item.Span.Contains(t, StringComparison.Ordinal));
        Assert.Equal(item.Span, EvidenceFixtures.KoreanLeaveRule[item.Start..item.End]);
    }

    [Fact]
    public void E10_LongSpan_IsCutTo300AtAWordGap()
    {
        var candidates = Rules.SelectCandidates(EvidenceFixtures.EnglishResults(), QueryTokens.Of(EvidenceFixtures.EnglishQuestion));
        var window = candidates[0].Window;

        var accepted = Rules.AcceptModelItems([new ReplyItem(1, window[..Math.Min(window.Length, 700)], 0.9)], candidates, QueryTokens.Of(EvidenceFixtures.EnglishQuestion));

        var item = Assert.Single(accepted.Items);
        Assert.InRange(item.Span.Length, 240, 300);
        Assert.StartsWith(item.Span, window, StringComparison.Ordinal);
        Assert.False(char.IsWhiteSpace(item.Span[^1]));
        Assert.True(window.Length == item.Span.Length || char.IsWhiteSpace(window[item.Span.Length]), "cut at a word gap");
    }

    [Fact]
    public void E14_RuleSpans_AreQueryCentredAtMost200WithTheirScoreAsRelevance()
    {
        var candidates = Rules.SelectCandidates(EvidenceFixtures.KoreanResults(), Korean);

        var items = Rules.RuleOnly(candidates, Korean);

        Assert.Equal(candidates.Count, items.Count);
        Assert.All(items, item =>
        {
            Assert.Equal(EvidenceSource.RuleFallback, item.Source);
            Assert.InRange(item.Span.Length, 80, 200);
            Assert.Equal(item.RerankScore, item.Relevance);
        });
        Assert.Contains("신청 절차", items[0].Span, StringComparison.Ordinal);
        Assert.Equal(0.93, items[0].Relevance);
    }

    [Fact]
    public void E12_OneKeptItem_IsSupplementedFromCandidatesHoldingACriticalToken()
    {
        // 연차휴가 (4 syllables) and 절차 (a suffix of its own) are critical; 신청 (2 syllables, no suffix) is not.
        Assert.Equal(["연차휴가", "신청", "절차"], Korean.All);
        Assert.Equal(["연차휴가", "절차"], Korean.Critical);
        var candidates = Rules.SelectCandidates(EvidenceFixtures.KoreanResults(), Korean);
        var kept = Rules.AcceptModelItems([new ReplyItem(1, EvidenceFixtures.KoreanProcedureSentence, 0.9)], candidates, Korean).Items;

        var added = Rules.Supplement(kept, candidates, Korean, new HashSet<int> { 1 });

        Assert.Equal(2, added.Count);
        Assert.All(added, item => Assert.Equal(EvidenceSource.Supplement, item.Source));
        Assert.Equal(0.61 * 0.8, added[0].Relevance, 6);
        Assert.All(added, item => Assert.Contains(Korean.Critical, t => item.Span.Contains(t, StringComparison.Ordinal)));
    }

    [Fact]
    public void E12_CandidatesWithOnlyANonCriticalToken_AreNotSupplemented()
    {
        var query = QueryTokens.Of("신청 절차");
        var results = new[]
        {
            new SearchResult("a", null, null, null, "신청 절차는 다음과 같다. 전자결재로 휴가 신청서를 제출하고 팀장의 승인을 받는다. 승인 후 인사팀에 통보된다.", 0.9, 0.9),
            new SearchResult("b", null, null, null, "신청서 양식은 인사팀 게시판에서 내려받을 수 있으며 작성 후 원본은 인사팀에 보관한다. 사본은 본인이 보관한다.", 0.8, 0.8),
            new SearchResult("c", null, null, null, "이 절차는 모든 직원에게 적용되며 예외는 인사위원회의 심의를 거쳐 정한다. 예외 사유는 기록으로 남긴다.", 0.7, 0.7),
        };
        var candidates = Rules.SelectCandidates(results, query);
        var kept = Rules.AcceptModelItems([new ReplyItem(1, "신청 절차는 다음과 같다. 전자결재로 휴가 신청서를 제출하고 팀장의 승인을 받는다. 승인 후 인사팀에 통보된다.", 0.9)], candidates, query).Items;

        var added = Rules.Supplement(kept, candidates, query, new HashSet<int> { 1 });

        Assert.Equal(["c"], added.Select(a => a.DocId));
    }

    [Fact]
    public void E12_EnoughKeptOrTooFewCandidates_AddsNothing()
    {
        var candidates = Rules.SelectCandidates(EvidenceFixtures.EnglishResults(), Korean);
        var kept = Rules.RuleOnly(candidates, Korean).Take(1).ToList();

        Assert.Empty(Rules.Supplement(kept, candidates, Korean, new HashSet<int> { 1 }));
    }

    [Fact]
    public void E13_Order_KeepsSearchOrderOfDocumentsAndRelevanceInsideThem()
    {
        var results = EvidenceFixtures.KoreanResults();
        EvidenceItem Item(string doc, double relevance) => new(0, null, doc, null, null, "s", 0, 1, relevance, 0, "w", EvidenceSource.Llm);

        var ordered = EvidenceRules.Order([Item("penalty", 0.99), Item("rules", 0.6), Item("rules", 0.9)], results);

        Assert.Equal([("rules", 0.9), ("rules", 0.6), ("penalty", 0.99)], ordered.Select(i => (i.DocId, i.Relevance)));
        Assert.Equal([1, 2, 3], ordered.Select(i => i.N));
    }
}

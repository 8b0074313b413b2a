using DocServer.Core.Evidence;
using DocServer.Core.Text;
using FsCheck;
using FsCheck.Fluent;

namespace DocServer.Core.Tests.Evidence;

/// <summary>
/// Where we deliberately differ from the seed's evidence service (README, "Differences from the seed"): each
/// difference pinned, so changing it back is a decision, not an accident.
/// </summary>
public sealed class SeedDifferencesTests
{
    private static readonly EvidenceRules Rules = new(new EvidenceOptions());

    [Theory]
    [InlineData("{\"items\": [ // the model explains itself\n {\"n\": 1, \"span\": \"a span\", \"relevance\": 0.9} /* kept */ ]}")]
    [InlineData("{\"answer\": {\"items\": [{\"n\": 1, \"span\": \"a span\", \"relevance\": 0.9}]}}")]
    [InlineData("{\"note\": \"first I list nothing\"} and then {\"items\": [{\"n\": 1, \"span\": \"a span\", \"relevance\": 0.9}]}")]
    public void E8_CommentsNestedObjectsAndSeveralObjects_AreAccepted(string reply)
    {
        var item = Assert.Single(EvidenceReplyParser.TryParse(reply)!);

        Assert.Equal((1, "a span", 0.9), (item.N, item.Span, item.Relevance));
    }

    [Theory]
    [InlineData("\"1.0\"", 1)] // the seed's int("1.0") raises: it dropped the item
    [InlineData("\"2\"", 2)]
    [InlineData("1.5", null)] // the seed's int(1.5) is 1: a span credited to a candidate the model may not have meant
    [InlineData("true", null)] // the seed's int(True) is 1: a boolean is not a candidate number
    public void E9_CandidateNumber_IsAWholeNumberOrAStringOfOne(string n, int? expected)
    {
        var item = Assert.Single(EvidenceReplyParser.TryParse($"{{\"items\": [{{\"n\": {n}, \"span\": \"a span\", \"relevance\": 0.9}}]}}")!);

        Assert.Equal(expected, item.N);
    }

    [Theory]
    [InlineData("\"0.9\"", 0.9)]
    [InlineData("true", null)] // the seed's float(True) is 1.0: the highest relevance for a boolean
    public void E9_Relevance_IsANumberOrAStringOfOne(string relevance, double? expected)
    {
        var item = Assert.Single(EvidenceReplyParser.TryParse($"{{\"items\": [{{\"n\": 1, \"span\": \"a span\", \"relevance\": {relevance}}}]}}")!);

        Assert.Equal(expected, item.Relevance);
    }

    [Fact]
    public void E10_Property_ANormalisedSpanIsAtLeast80CharsOrItsWholeWindow_AndAtMost300()
    {
        string[] words = ["notice", "period", "rent", "deposit", "연차휴가", "신청", "절차", "the", "is", "two", "months", "기준", "a", "및", "landlord"];
        var sentence = from n in Gen.Choose(1, 12) from w in Gen.ArrayOf(Gen.Elements(words), n) select string.Join(' ', w) + ".";
        var text = from n in Gen.Choose(1, 20) from s in Gen.ArrayOf(sentence, n) select string.Join(' ', s);
        var cases = from t in text
                    from q in Gen.Choose(1, 4)
                    from query in Gen.ArrayOf(Gen.Elements(words), q)
                    from start in Gen.Choose(0, Math.Max(0, t.Length - 1))
                    from length in Gen.Choose(1, 79)
                    select (Text: t, Query: string.Join(' ', query), Span: t.Substring(start, Math.Min(length, t.Length - start)));

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var tokens = QueryTokens.Of(c.Query);
            var candidates = Rules.SelectCandidates([new SearchResult("d", "d:0", null, null, c.Text, 0.9, 0.9)], tokens);
            if (candidates.Count == 0 || string.IsNullOrWhiteSpace(c.Span))
            {
                return true;
            }

            var (start, end, _) = Rules.Normalize(candidates[0], tokens, 0, c.Span.Length);
            var window = candidates[0].Window.TrimEnd();
            return end - start <= 300 && (end - start >= 80 || end - start >= window.Length - 1);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void E10_ShortSpanInAWindowShorterThan80_BecomesTheWholeWindow_TheBoundWeKeep()
    {
        const string Text = "Rent is due on the first day of each month.";
        var tokens = QueryTokens.Of("When is the rent due?");
        var candidates = Rules.SelectCandidates([new SearchResult("lease", "lease:0", null, null, Text, 0.9, 0.9)], tokens);

        var item = Assert.Single(Rules.AcceptModelItems([new ReplyItem(1, "Rent is due", 0.9)], candidates, tokens).Items);

        Assert.Equal(Text.TrimEnd('.').Length, item.Span.TrimEnd('.').Length);
        Assert.Equal(item.Span, Text[item.Start..item.End]);
    }

    [Fact]
    public void E12_SupplementMatchesTokensIgnoringCase_WhereTheSeedsSubstringTestDidNot()
    {
        var tokens = QueryTokens.Of("Notice period for the deposit");
        var results = new[]
        {
            new SearchResult("a", "a:0", null, null, "The notice period is two months and must be given in writing to the landlord at the address above.", 0.9, 0.9),
            new SearchResult("b", "b:0", null, null, "The garden must be kept tidy and the lawn cut regularly during the growing season by the tenant.", 0.8, 0.8),
            new SearchResult("c", "c:0", null, null, "DEPOSIT: THE DEPOSIT IS HELD IN A GOVERNMENT-BACKED SCHEME AND RETURNED WITHIN TEN DAYS OF THE END.", 0.7, 0.7),
        };
        var candidates = Rules.SelectCandidates(results, tokens);
        var kept = Rules.AcceptModelItems([new ReplyItem(1, results[0].Text, 0.9)], candidates, tokens).Items;

        var added = Rules.Supplement(kept, candidates, tokens, new HashSet<int> { 1 });

        Assert.Equal(["c"], added.Select(a => a.DocId));
    }
}

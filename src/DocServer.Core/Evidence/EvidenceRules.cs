using DocServer.Core.Text;

namespace DocServer.Core.Evidence;

/// <summary>
/// The rules of evidence extraction (docs/design.md, "Evidence") as pure functions, so each can be tested and timed
/// on its own; <see cref="EvidenceExtractor"/> strings them together around the one model call.
/// </summary>
public sealed class EvidenceRules(EvidenceOptions options)
{
    public EvidenceOptions Options { get; } = options;

    /// <summary>E2 + E5: results at or over the score cut, at most 2 per document and 6 in all, each with its window.</summary>
    public IReadOnlyList<EvidenceCandidate> SelectCandidates(IReadOnlyList<SearchResult> results, QueryTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(results);
        var candidates = new List<EvidenceCandidate>();
        var perDocument = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if ((result.RerankScore ?? result.Score) is not { } score || score < Options.MinRerankScore || perDocument.GetValueOrDefault(result.DocId) >= Options.MaxPerDocument)
            {
                continue;
            }

            perDocument[result.DocId] = perDocument.GetValueOrDefault(result.DocId) + 1;
            var window = WindowOf(result.Text, tokens, Options.CandidateWindowChars);
            candidates.Add(new EvidenceCandidate(candidates.Count + 1, result, window.Start, window.Of(result.Text), window.HasHit || window.Length == result.Text.Length));
            if (candidates.Count == Options.MaxCandidates)
            {
                break;
            }
        }

        return candidates;
    }

    /// <summary>The prompt's numbered block: the model sees each candidate's window, never the whole chunk.</summary>
    public static string NumberedCandidates(IReadOnlyList<EvidenceCandidate> candidates) =>
        string.Join('\n', candidates.Select(c => $"[{c.N}] title: {(c.Result.Title ?? string.Empty).Trim()} / text: {c.Window}"));

    /// <summary>E14: a query-centred rule span from every candidate, relevance = its score.</summary>
    public IReadOnlyList<EvidenceItem> RuleOnly(IReadOnlyList<EvidenceCandidate> candidates, QueryTokens tokens) =>
        [.. candidates.Select(c => RuleItem(c, tokens, c.Result.EffectiveScore, EvidenceSource.RuleFallback).Item)];

    /// <summary>
    /// E9 + E18 + E10: keeps items with a known candidate number, relevance at or over 0.5 and a non-empty
    /// span; grounds each span in its window (dropping what cannot be found); normalises its length.
    /// </summary>
    public (List<EvidenceItem> Items, HashSet<int> Used, int Exact, int Snapped, int Dropped, int Expanded) AcceptModelItems(
        IReadOnlyList<ReplyItem> reply, IReadOnlyList<EvidenceCandidate> candidates, QueryTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var items = new List<EvidenceItem>();
        var used = new HashSet<int>();
        int exact = 0, snapped = 0, dropped = 0, expanded = 0;
        foreach (var entry in reply)
        {
            if (entry.N is not { } n || n < 1 || n > candidates.Count || entry.Relevance is not { } relevance || relevance < Options.MinRelevance || string.IsNullOrWhiteSpace(entry.Span))
            {
                continue;
            }

            var candidate = candidates[n - 1];
            var grounded = SpanGrounder.Ground(candidate.Window, entry.Span);
            switch (grounded.Grounding)
            {
                case Grounding.Dropped:
                    dropped++;
                    continue;
                case Grounding.Exact:
                    exact++;
                    break;
                default:
                    snapped++;
                    break;
            }

            var (start, end, wasExpanded) = Normalize(candidate, tokens, grounded.Start, grounded.End);
            expanded += wasExpanded ? 1 : 0;
            items.Add(Item(candidate, start, end, relevance, EvidenceSource.Llm));
            used.Add(n);
        }

        return (items, used, exact, snapped, dropped, expanded);
    }

    /// <summary>
    /// E12: with 1 or 2 kept items and at least 3 candidates, adds rule spans from the other candidates
    /// that contain a query token and a critical token, until there are 3.
    /// </summary>
    public List<EvidenceItem> Supplement(List<EvidenceItem> kept, IReadOnlyList<EvidenceCandidate> candidates, QueryTokens tokens, IReadOnlySet<int> usedCandidates)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(usedCandidates);
        var added = new List<EvidenceItem>();
        if (kept.Count == 0 || kept.Count >= Options.MinEvidenceForSynthesis || candidates.Count < Options.MinEvidenceForSynthesis)
        {
            return added;
        }

        foreach (var candidate in candidates.Where(c => !usedCandidates.Contains(c.N)))
        {
            if (kept.Count + added.Count >= Options.MinEvidenceForSynthesis)
            {
                break;
            }

            var (item, _) = RuleItem(candidate, tokens, candidate.Result.EffectiveScore * Options.SupplementRelevanceFactor, EvidenceSource.Supplement);
            var folded = FoldedText.Of(item.Span).Folded;
            // Critical tokens are query tokens, so holding one is holding a query token; with none critical, any query token will do.
            var required = tokens.Critical.Count == 0 ? tokens.All : tokens.Critical;
            if (required.Any(t => folded.Contains(t, StringComparison.Ordinal)))
            {
                added.Add(item);
            }
        }

        return added;
    }

    /// <summary>
    /// E13: documents in search-result order (answers cite [1][2][3] in reading order); inside a
    /// document, most relevant first; then numbered 1..N.
    /// </summary>
    public static IReadOnlyList<EvidenceItem> Order(IEnumerable<EvidenceItem> items, IReadOnlyList<SearchResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var documentOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            documentOrder.TryAdd(results[i].DocId, i);
        }

        return [.. items
            .OrderBy(item => documentOrder.GetValueOrDefault(item.DocId, int.MaxValue))
            .ThenByDescending(item => item.Relevance)
            .Select((item, i) => item with { N = i + 1 })];
    }

    /// <summary>
    /// E10: a span under 80 chars is replaced by a 120-char query-centred window of its candidate (or,
    /// with no query hit there, widened around itself); a span over 300 is cut, at a word gap if one is
    /// near. Offsets stay offsets into the window, so the span stays an exact substring (E18).
    /// </summary>
    public (int Start, int End, bool Expanded) Normalize(EvidenceCandidate candidate, QueryTokens tokens, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var window = candidate.Window;
        var expanded = false;
        if (end - start < Options.SpanMinChars)
        {
            var around = QueryWindow.Find(candidate.FoldedWindow, tokens, Options.SpanExpandChars);
            (start, end) = around.HasHit ? (around.Start, around.End) : Widen(window, start, end, Options.SpanExpandChars);
            expanded = true;
            if (end - start < Options.SpanMinChars && window.Length >= Options.SpanMinChars)
            {
                // The query-centred window snaps to sentence and word edges and can come out shorter than the
                // rule allows: widen it evenly, so E10 holds (a span is at least 80 chars, or its whole window).
                (start, end) = Widen(window, start, end, Options.SpanExpandChars);
            }
        }

        if (end - start > Options.SpanMaxChars)
        {
            var cut = start + Options.SpanMaxChars;
            var gap = window.LastIndexOf(' ', cut - 1, Options.SpanMaxChars / 5);
            end = TextElements.Floor(window, gap > start ? gap : cut);
        }

        while (end > start && char.IsWhiteSpace(window[end - 1]))
        {
            end--;
        }

        return (start, end, expanded);
    }

    private (EvidenceItem Item, bool Anchored) RuleItem(EvidenceCandidate candidate, QueryTokens tokens, double relevance, EvidenceSource source)
    {
        var window = WindowOf(candidate.Window, tokens, Options.RuleSpanChars);
        var (start, end, _) = Normalize(candidate, tokens, window.Start, window.End);
        return (Item(candidate, start, end, relevance, source), window.HasHit);
    }

    private static EvidenceItem Item(EvidenceCandidate candidate, int start, int end, double relevance, EvidenceSource source)
    {
        var result = candidate.Result;
        return new EvidenceItem(
            0,
            result.ChunkId,
            result.DocId,
            result.Title,
            result.SectionTitle,
            candidate.Window[start..end],
            candidate.WindowStart + start,
            candidate.WindowStart + end,
            relevance,
            result.EffectiveScore,
            candidate.Window,
            source);
    }

    /// <summary>
    /// The query-centred window; with no query hit in a text longer than the window, the text's opening
    /// stretch, flagged as unanchored (the caller counts and logs it) rather than passed off as centred.
    /// </summary>
    private static TextWindow WindowOf(string text, QueryTokens tokens, int chars)
    {
        var window = QueryWindow.Find(FoldedText.Of(text), tokens, chars);
        return window.HasHit || window.Length == text.Length ? window : new TextWindow(0, TextElements.Floor(text, chars), 0);
    }

    private static (int Start, int End) Widen(string text, int start, int end, int chars)
    {
        var grow = Math.Max(0, chars - (end - start));
        var newStart = Math.Max(0, start - (grow / 2));
        var newEnd = Math.Min(text.Length, newStart + Math.Max(chars, end - start));
        newStart = Math.Max(0, Math.Min(newStart, newEnd - chars));
        return (TextElements.Ceiling(text, newStart), TextElements.Floor(text, newEnd));
    }
}

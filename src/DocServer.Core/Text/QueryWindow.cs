namespace DocServer.Core.Text;

/// <summary>
/// The query-centred window (E5, E10, E14): the stretch of at most N chars holding the most query-token
/// hits. Algorithm: find every hit (case-insensitive, NFC); slide over the hits, sorted by position, for
/// the cluster that fits in N with the most different tokens, then the most hits (so one frequent word
/// cannot outvote the rest), then the tightest, then the earliest; centre
/// the window on that cluster; shrink each edge, by at most a quarter of N and never into the cluster,
/// to a sentence end or else a word gap; finally move each edge to a grapheme boundary. The result is
/// never longer than N. A text with no hit returns a window with <see cref="TextWindow.HasHit"/> false
/// and length 0: taking the first N chars instead is the caller's explicit choice, never this one's.
/// </summary>
public static class QueryWindow
{
    private const string SentenceEnds = ".!?。！？";

    public static TextWindow Find(FoldedText text, QueryTokens tokens, int targetChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetChars, 1);
        var source = text.Original;
        var hits = TokenHits(text, tokens);
        if (source.Length <= targetChars)
        {
            return new TextWindow(0, source.Length, hits.Count);
        }

        if (hits.Count == 0)
        {
            return new TextWindow(0, 0, 0);
        }

        var (clusterStart, clusterEnd, count) = BestCluster(hits, tokens.All.Count, targetChars);
        var slack = targetChars - (clusterEnd - clusterStart);
        var start = Math.Clamp(clusterStart - (slack / 2), 0, source.Length - targetChars);
        var end = start + targetChars;
        var maxShift = targetChars / 4;
        var sentenceStart = SentenceStartBefore(source, clusterStart, clusterStart - start + maxShift);
        if (sentenceStart < start && clusterEnd - sentenceStart <= targetChars)
        {
            // The first hit's sentence begins before the window: slide left to it if the hits still
            // fit, since a span that starts mid-sentence reads as a fragment.
            (start, end) = (sentenceStart, Math.Min(source.Length, sentenceStart + targetChars));
        }

        start = ShrinkStart(source, start, Math.Min(clusterStart, start + maxShift));
        end = ShrinkEnd(source, end, Math.Max(clusterEnd, end - maxShift));
        start = TextElements.Ceiling(source, start);
        end = Math.Max(start, TextElements.Floor(source, end));
        return new TextWindow(start, end - start, count);
    }

    /// <summary>Every occurrence of every token, as original-text ranges sorted by start.</summary>
    public static List<(int Start, int End)> Hits(FoldedText text, QueryTokens tokens) =>
        [.. TokenHits(text, tokens).Select(h => (h.Start, h.End))];

    private static List<(int Start, int End, int Token)> TokenHits(FoldedText text, QueryTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokens);
        var hits = new List<(int Start, int End, int Token)>();
        for (var t = 0; t < tokens.All.Count; t++)
        {
            var token = tokens.All[t];
            for (var at = text.Folded.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.Folded.IndexOf(token, at + token.Length, StringComparison.Ordinal))
            {
                hits.Add((text.ToOriginal(at), text.ToOriginalEnd(at + token.Length), t));
            }
        }

        hits.Sort();
        return hits;
    }

    /// <summary>Two pointers over the sorted hits, keeping per-token counts as the frame slides.</summary>
    private static (int Start, int End, int Count) BestCluster(List<(int Start, int End, int Token)> hits, int tokenCount, int width)
    {
        var perToken = new int[tokenCount];
        var distinct = 0;
        var last = -1;
        var best = (Distinct: 0, Count: 0, Start: hits[0].Start, End: hits[0].End);
        for (var first = 0; first < hits.Count; first++)
        {
            last = Math.Max(last, first - 1);
            while (last + 1 < hits.Count && hits[last + 1].End - hits[first].Start <= width)
            {
                last++;
                distinct += perToken[hits[last].Token]++ == 0 ? 1 : 0;
            }

            if (last < first)
            {
                // This hit alone is wider than the window (a token longer than N): skip it.
                continue;
            }

            var count = last - first + 1;
            var end = hits[last].End;
            for (var i = first; i < last; i++)
            {
                end = Math.Max(end, hits[i].End);
            }

            if (distinct > best.Distinct
                || (distinct == best.Distinct && (count > best.Count || (count == best.Count && end - hits[first].Start < best.End - best.Start))))
            {
                best = (distinct, count, hits[first].Start, end);
            }

            distinct -= --perToken[hits[first].Token] == 0 ? 1 : 0;
        }

        return best.Count > 0 ? (best.Start, best.End, best.Count) : (hits[0].Start, Math.Min(hits[0].End, hits[0].Start + width), 1);
    }

    /// <summary>The nearest sentence start at or before <paramref name="start"/>, no further back than <paramref name="maxShift"/>; else <paramref name="start"/>.</summary>
    private static int SentenceStartBefore(string text, int start, int maxShift)
    {
        for (var p = start; p >= Math.Max(0, start - maxShift); p--)
        {
            if (p == 0 || text[p - 1] == '\n' || (p >= 2 && char.IsWhiteSpace(text[p - 1]) && SentenceEnds.Contains(text[p - 2], StringComparison.Ordinal)))
            {
                return p;
            }
        }

        return start;
    }

    /// <summary>Moves the start forward (to at most <paramref name="limit"/>) to just after a sentence end, else a word gap.</summary>
    private static int ShrinkStart(string text, int start, int limit)
    {
        if (start == 0)
        {
            return 0;
        }

        for (var p = start; p <= limit; p++)
        {
            if (p >= 2 && char.IsWhiteSpace(text[p - 1]) && (SentenceEnds.Contains(text[p - 2], StringComparison.Ordinal) || text[p - 1] == '\n'))
            {
                return p;
            }
        }

        for (var p = start; p <= limit; p++)
        {
            if (char.IsWhiteSpace(text[p - 1]) && !char.IsWhiteSpace(text[p]))
            {
                return p;
            }
        }

        return start;
    }

    /// <summary>Moves the end back (to at least <paramref name="limit"/>) to just after a sentence end, else to a word gap.</summary>
    private static int ShrinkEnd(string text, int end, int limit)
    {
        if (end >= text.Length)
        {
            return text.Length;
        }

        for (var p = end; p >= limit && p > 0; p--)
        {
            if (SentenceEnds.Contains(text[p - 1], StringComparison.Ordinal) && (p == text.Length || char.IsWhiteSpace(text[p])))
            {
                return p;
            }
        }

        for (var p = end; p >= limit && p > 0; p--)
        {
            if (char.IsWhiteSpace(text[p]) && !char.IsWhiteSpace(text[p - 1]))
            {
                return p;
            }
        }

        return end;
    }
}

namespace DocServer.Core.Text;

/// <summary>
/// E18: every span we return is an exact substring of its source. A span the model returns is looked
/// up verbatim; failing that, ignoring case, Unicode form and runs of whitespace; failing that, the
/// passage of the same length with the most character bigrams in common (Dice similarity) is taken if
/// it reaches <see cref="MinSimilarity"/>, widened to whole words. Otherwise the span is dropped.
/// </summary>
public static class SpanGrounder
{
    /// <summary>
    /// Below this, a "snapped" passage is more likely another sentence than the one the model meant
    /// (paraphrases of the right sentence score about 0.4-0.55 on our fixtures; light edits 0.75+).
    /// </summary>
    public const double MinSimilarity = 0.6;

    private const int MinFuzzyChars = 12;
    private const int MaxWordWidening = 24;

    public static GroundedSpan Ground(string source, string span)
    {
        ArgumentNullException.ThrowIfNull(source);
        var trimmed = span?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return new GroundedSpan(Grounding.Dropped, 0, 0, 0);
        }

        var exact = source.IndexOf(trimmed, StringComparison.Ordinal);
        if (exact >= 0)
        {
            return new GroundedSpan(Grounding.Exact, exact, trimmed.Length, 1);
        }

        var compactSource = CompactText.Of(source);
        var compactSpan = CompactText.Of(trimmed).Text;
        var loose = compactSource.Text.IndexOf(compactSpan, StringComparison.Ordinal);
        if (loose >= 0)
        {
            return Snap(source, compactSource.ToOriginal(loose), compactSource.ToOriginalEnd(loose + compactSpan.Length), 1, widen: false);
        }

        if (compactSpan.Length < MinFuzzyChars || compactSource.Text.Length < compactSpan.Length)
        {
            return new GroundedSpan(Grounding.Dropped, 0, 0, 0);
        }

        var (at, similarity) = BestBigramMatch(compactSource.Text, compactSpan);
        return similarity >= MinSimilarity
            ? Snap(source, compactSource.ToOriginal(at), compactSource.ToOriginalEnd(at + compactSpan.Length), similarity, widen: true)
            : new GroundedSpan(Grounding.Dropped, 0, 0, similarity);
    }

    /// <summary>Slides a span-sized frame over the source, keeping bigram counts incrementally: O(source length).</summary>
    private static (int At, double Similarity) BestBigramMatch(string source, string span)
    {
        var wanted = new Dictionary<int, int>();
        for (var i = 0; i + 1 < span.Length; i++)
        {
            var key = Bigram(span, i);
            wanted[key] = wanted.GetValueOrDefault(key) + 1;
        }

        var pairs = span.Length - 1;
        var have = new Dictionary<int, int>();
        var overlap = 0;
        for (var i = 0; i < pairs; i++)
        {
            overlap += Add(Bigram(source, i));
        }

        var best = (At: 0, Overlap: overlap);
        for (var at = 1; at + span.Length <= source.Length; at++)
        {
            overlap -= Remove(Bigram(source, at - 1));
            overlap += Add(Bigram(source, at + pairs - 1));
            if (overlap > best.Overlap)
            {
                best = (at, overlap);
            }
        }

        return (best.At, (double)best.Overlap / pairs);

        int Add(int key)
        {
            var count = have[key] = have.GetValueOrDefault(key) + 1;
            return count <= wanted.GetValueOrDefault(key) ? 1 : 0;
        }

        int Remove(int key)
        {
            var count = have[key]--;
            return count <= wanted.GetValueOrDefault(key) ? 1 : 0;
        }
    }

    private static int Bigram(string text, int i) => (text[i] << 16) | text[i + 1];

    private static GroundedSpan Snap(string source, int start, int end, double similarity, bool widen)
    {
        if (widen)
        {
            // A fuzzy frame can start or end mid-word; widen to whole words, a little at most.
            for (var steps = 0; start > 0 && !char.IsWhiteSpace(source[start - 1]) && steps < MaxWordWidening; steps++)
            {
                start--;
            }

            for (var steps = 0; end < source.Length && !char.IsWhiteSpace(source[end]) && steps < MaxWordWidening; steps++)
            {
                end++;
            }
        }

        start = TextElements.Floor(source, start);
        end = TextElements.Ceiling(source, end);
        while (start < end && char.IsWhiteSpace(source[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(source[end - 1]))
        {
            end--;
        }

        return new GroundedSpan(Grounding.Snapped, start, end - start, similarity);
    }
}

namespace DocServer.Core.Documents;

/// <summary>
/// A position in one query term's postings, on live chunks only. <see cref="UpperBound"/> is the most this term
/// can add to any chunk's score; <see cref="QueryIndex"/> its place in the query, the order scores are summed in.
/// </summary>
internal sealed class TermCursor(PostingList list, int queryIndex, double idf, double upperBound, List<DocumentChunk?> chunks)
{
    private int _at = -1;

    public int QueryIndex { get; } = queryIndex;

    public double Idf { get; } = idf;

    public double UpperBound { get; } = upperBound;

    /// <summary>The chunk ordinal under the cursor; <see cref="int.MaxValue"/> past the end.</summary>
    public int Current { get; private set; } = -1;

    public int Frequency => list.Frequencies[_at];

    public void Next() => Settle(_at + 1);

    /// <summary>Moves to the first live posting at or after <paramref name="target"/> (galloping, then binary search).</summary>
    public void SkipTo(int target)
    {
        if (Current >= target)
        {
            return;
        }

        var postings = list.Chunks;
        var low = Math.Max(_at, 0);
        var step = 1;
        var high = low + step;
        while (high < postings.Length && postings[high] < target)
        {
            low = high;
            step *= 2;
            high = low + step;
        }

        var found = postings[low..Math.Min(high + 1, postings.Length)].BinarySearch(target);
        Settle(low + (found >= 0 ? found : ~found));
    }

    private void Settle(int at)
    {
        var postings = list.Chunks;
        while (at < postings.Length && chunks[postings[at]] is null)
        {
            at++;
        }

        _at = at;
        Current = at < postings.Length ? postings[at] : int.MaxValue;
    }
}

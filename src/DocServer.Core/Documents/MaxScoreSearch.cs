namespace DocServer.Core.Documents;

/// <summary>
/// Top k by BM25 over term cursors, document at a time with max-score pruning (Turtle and Flood): the terms,
/// ordered by upper bound, split into essential ones (a chunk must hold one of them to possibly enter the top k)
/// and the rest, which are only looked up (skipped to) for candidates still able to make it. Exact: the hits,
/// their order and their scores (summed in query order) are those of scoring every chunk.
/// </summary>
internal sealed class MaxScoreSearch
{
    private readonly TermCursor[] _terms;
    private readonly double[] _prefixBounds;
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly int _top;
    private readonly PriorityQueue<Hit, Hit> _best = new(Comparer<Hit>.Create(static (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Ordinal.CompareTo(a.Ordinal)));

    public MaxScoreSearch(List<TermCursor> terms, int[] lengths, double averageLength, int top)
    {
        _terms = [.. terms.OrderBy(t => t.UpperBound)];
        _prefixBounds = new double[_terms.Length];
        for (var i = 0; i < _terms.Length; i++)
        {
            _prefixBounds[i] = (i == 0 ? 0 : _prefixBounds[i - 1]) + _terms[i].UpperBound;
        }

        _lengths = lengths;
        _averageLength = averageLength;
        _top = top;
    }

    /// <summary>The best hits, best first; equal scores in indexing order.</summary>
    public List<Hit> Run()
    {
        foreach (var term in _terms)
        {
            term.Next();
        }

        var contributions = new double[_terms.Length];
        var held = new bool[_terms.Length];
        var essential = 0;
        var threshold = double.NegativeInfinity;
        while (true)
        {
            var chunk = NextCandidate(essential);
            if (chunk == int.MaxValue)
            {
                break;
            }

            Array.Clear(held);
            var bound = 0.0;
            for (var i = essential; i < _terms.Length; i++)
            {
                if (_terms[i].Current == chunk)
                {
                    bound += Contribute(i, chunk, contributions, held);
                    _terms[i].Next();
                }
            }

            if (!CompleteNonEssential(chunk, essential, threshold, ref bound, contributions, held))
            {
                continue;
            }

            var (score, matched) = ExactScore(contributions, held);
            Keep(new Hit(chunk, score, matched), ref threshold, ref essential);
        }

        return [.. _best.UnorderedItems.Select(e => e.Element).OrderByDescending(h => h.Score).ThenBy(h => h.Ordinal)];
    }

    /// <summary>The lowest chunk any essential term is on, or <see cref="int.MaxValue"/> when they are all used up.</summary>
    private int NextCandidate(int essential)
    {
        var chunk = int.MaxValue;
        for (var i = essential; i < _terms.Length; i++)
        {
            chunk = Math.Min(chunk, _terms[i].Current);
        }

        return chunk;
    }

    /// <summary>
    /// Keeps the hit if it is among the best so far; once there are top hits, the threshold is the weakest of them,
    /// and terms whose bounds together cannot lift a chunk past it stop being essential.
    /// </summary>
    private void Keep(Hit hit, ref double threshold, ref int essential)
    {
        if (_best.Count < _top)
        {
            _best.Enqueue(hit, hit);
        }
        else if (hit.Score > threshold)
        {
            _best.DequeueEnqueue(hit, hit);
        }

        if (_best.Count == _top)
        {
            threshold = _best.Peek().Score;
            while (essential < _terms.Length && _prefixBounds[essential] < threshold - Margin(threshold))
            {
                essential++;
            }
        }
    }

    /// <summary>
    /// Looks the candidate up in the non-essential terms, largest bound first, and gives up as soon as what it has
    /// plus all it could still get cannot beat the threshold (a tie loses: the earlier chunk is already in).
    /// </summary>
    private bool CompleteNonEssential(int chunk, int essential, double threshold, ref double bound, double[] contributions, bool[] held)
    {
        for (var i = essential - 1; i >= 0; i--)
        {
            if (bound + _prefixBounds[i] < threshold - Margin(threshold))
            {
                return false;
            }

            _terms[i].SkipTo(chunk);
            if (_terms[i].Current == chunk)
            {
                bound += Contribute(i, chunk, contributions, held);
            }
        }

        return bound >= threshold - Margin(threshold);
    }

    private double Contribute(int term, int chunk, double[] contributions, bool[] held)
    {
        var cursor = _terms[term];
        var score = Bm25Scoring.Score(cursor.Idf, cursor.Frequency, _lengths[chunk], _averageLength);
        contributions[cursor.QueryIndex] = score;
        held[cursor.QueryIndex] = true;
        return score;
    }

    /// <summary>The chunk's score summed in query order, as scoring every chunk would sum it, and how many terms it holds.</summary>
    private static (double Score, int Matched) ExactScore(double[] contributions, bool[] held)
    {
        var score = 0.0;
        var matched = 0;
        for (var i = 0; i < held.Length; i++)
        {
            if (held[i])
            {
                score += contributions[i];
                matched++;
            }
        }

        return (score, matched);
    }

    /// <summary>Room for rounding: bounds are summed in another order than scores, so a prune needs a clear loss.</summary>
    private static double Margin(double threshold) => 1e-9 * (1 + Math.Abs(threshold));

    internal readonly record struct Hit(int Ordinal, double Score, int Matched);
}

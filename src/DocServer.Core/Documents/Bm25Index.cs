using DocServer.Core.Evidence;

namespace DocServer.Core.Documents;

/// <summary>
/// An in-memory BM25 index over chunks (<see cref="Bm25Scoring"/>). Scores are normalised to 0..1 by the best score
/// the query could reach (every query term at saturation), so they mean the same across queries and can stand
/// in for rerank scores (E2's 0.25 cut). Terms are interned; each term's postings are two growing int arrays
/// (chunk ordinals ascending, frequencies). A search is document-at-a-time with max-score pruning: a chunk that
/// cannot beat the current 10th best by its terms' upper bounds is never scored, so a search touches the rare
/// terms' postings and skips through the common ones. Results are exactly those of scoring every chunk (same
/// top k, order and scores). Thread-safe; removal is by document. A snapshot carries the index as
/// <see cref="Bm25Segment"/>s (<see cref="Export"/>, <see cref="AddSegment"/>).
/// </summary>
public sealed class Bm25Index
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<PostingList> _lists = [];
    private readonly List<DocumentChunk?> _chunks = [];
    private readonly Dictionary<string, int[]> _byDocument = new(StringComparer.Ordinal);
    private int[] _lengths = new int[1024];
    private long _totalLength;
    private int _live;
    private int _removedSinceCompaction;
    private readonly int _compactAfter;

    public Bm25Index()
        : this(compactAfter: 1024)
    {
    }

    /// <summary>An index that drops removed chunks' postings after at least <paramref name="compactAfter"/> removals.</summary>
    internal Bm25Index(int compactAfter) => _compactAfter = compactAfter;

    public int ChunkCount
    {
        get
        {
            lock (_lock)
            {
                return _live;
            }
        }
    }

    public int DocumentCount
    {
        get
        {
            lock (_lock)
            {
                return _byDocument.Count;
            }
        }
    }

    /// <summary>Adds a document's chunks, replacing whatever the index held for that document.</summary>
    public void Add(string docId, IReadOnlyList<DocumentChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);

        // Tokenised outside the lock: the expensive part of an add does not hold up searches.
        List<(DocumentChunk Chunk, List<string> Terms)> analysed = [.. chunks.Select(c => (c, Bm25Tokenizer.Terms(c.Text)))];
        lock (_lock)
        {
            AddLocked(docId, analysed);
        }
    }

    /// <summary>
    /// Adds a segment another index exported, replacing whatever this index held for its documents: its chunks take the
    /// next ordinals in the segment's order, and its postings are copied, not found again by tokenising. The index then
    /// answers as if the segment's documents had been added one by one in that order.
    /// </summary>
    public void AddSegment(Bm25Segment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        lock (_lock)
        {
            foreach (var docId in segment.Documents)
            {
                RemoveLocked(docId);
            }

            var first = _chunks.Count;
            var lengths = segment.Lengths;
            if (_lengths.Length < first + lengths.Length)
            {
                Array.Resize(ref _lengths, Math.Max(first + lengths.Length, _lengths.Length * 2));
            }

            lengths.CopyTo(_lengths.AsSpan(first));
            _chunks.AddRange(segment.Chunks);
            var ordinals = new List<int>();
            for (var i = 0; i < segment.Chunks.Count; i++)
            {
                _totalLength += lengths[i];
                ordinals.Add(first + i);
                if (i + 1 == segment.Chunks.Count || segment.Chunks[i + 1].DocId != segment.Chunks[i].DocId)
                {
                    _byDocument[segment.Chunks[i].DocId] = [.. ordinals];
                    ordinals.Clear();
                }
            }

            _live += segment.Chunks.Count;
            for (var term = 0; term < segment.Terms.Count; term++)
            {
                ListOf(segment.Terms[term]).AppendRange(segment.ChunksOf(term), segment.FrequenciesOf(term), first, _lengths);
            }
        }
    }

    /// <summary>
    /// The named documents (those the index holds) as a segment, in this index's order; see <see cref="Bm25Segment"/>.
    /// Holds searches up for one pass over the postings.
    /// </summary>
    public Bm25Segment Export(IEnumerable<string> docIds)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        lock (_lock)
        {
            var ordinals = new List<int>();
            foreach (var docId in docIds)
            {
                if (_byDocument.TryGetValue(docId, out var held))
                {
                    ordinals.AddRange(held);
                }
            }

            // In index order, so each term's postings stay ascending once renumbered.
            ordinals.Sort();
            var local = new int[_chunks.Count];
            local.AsSpan().Fill(-1);
            for (var i = 0; i < ordinals.Count; i++)
            {
                local[ordinals[i]] = i;
            }

            var terms = new List<string>();
            var starts = new List<int> { 0 };
            var (chunks, frequencies) = (new List<int>(), new List<int>());
            foreach (var (term, id) in _termIds)
            {
                var list = _lists[id];
                var listChunks = list.Chunks;
                var listFrequencies = list.Frequencies;
                for (var p = 0; p < listChunks.Length; p++)
                {
                    if (local[listChunks[p]] >= 0)
                    {
                        chunks.Add(local[listChunks[p]]);
                        frequencies.Add(listFrequencies[p]);
                    }
                }

                if (chunks.Count > starts[^1])
                {
                    terms.Add(term);
                    starts.Add(chunks.Count);
                }
            }

            return new Bm25Segment([.. ordinals.Select(o => _chunks[o]!)], [.. ordinals.Select(o => _lengths[o])], terms, [.. starts], [.. chunks], [.. frequencies]);
        }
    }

    public bool Remove(string docId)
    {
        lock (_lock)
        {
            return RemoveLocked(docId);
        }
    }

    private void AddLocked(string docId, List<(DocumentChunk Chunk, List<string> Terms)> analysed)
    {
        RemoveLocked(docId);
        var ordinals = new int[analysed.Count];
        for (var i = 0; i < analysed.Count; i++)
        {
            var (chunk, terms) = analysed[i];
            var ordinal = _chunks.Count;
            _chunks.Add(chunk);
            if (ordinal == _lengths.Length)
            {
                Array.Resize(ref _lengths, _lengths.Length * 2);
            }

            _lengths[ordinal] = terms.Count;
            ordinals[i] = ordinal;
            _totalLength += terms.Count;
            _live++;
            foreach (var (term, frequency) in terms.CountBy(t => t, StringComparer.Ordinal))
            {
                ListOf(term).Append(ordinal, frequency, terms.Count);
            }
        }

        _byDocument[docId] = ordinals;
    }

    /// <summary>The best <paramref name="top"/> chunks for the query, best first (ties: the earlier indexed first).</summary>
    public IReadOnlyList<SearchResult> Search(string query, int top)
    {
        var queryTerms = Bm25Tokenizer.Terms(query).Distinct(StringComparer.Ordinal).ToList();
        lock (_lock)
        {
            if (_live == 0 || queryTerms.Count == 0 || top <= 0)
            {
                return [];
            }

            var averageLength = (double)_totalLength / _live;
            var active = new List<TermCursor>();
            var ceiling = 0.0;
            var counted = 0;
            foreach (var term in queryTerms)
            {
                if (!_termIds.TryGetValue(term, out var id) || _lists[id].Live == 0)
                {
                    // A word of the question that no chunk has counts against every chunk; a Hangul bigram
                    // spanning a particle (절차와 -> 차와) is an artefact of splitting and does not.
                    counted += term.Length == 2 && Text.Hangul.IsSyllable(term[0]) ? 0 : 1;
                    continue;
                }

                counted++;
                var list = _lists[id];
                var idf = Bm25Scoring.Idf(_live, list.Live);
                ceiling += Bm25Scoring.Saturated(idf);
                active.Add(new TermCursor(list, active.Count, idf, Bm25Scoring.Score(idf, list.MaxFrequency, list.MinLength, averageLength), _chunks));
            }

            if (active.Count == 0)
            {
                return [];
            }

            var best = new MaxScoreSearch(active, _lengths, averageLength, top).Run();
            return [.. best.Select(hit =>
            {
                var chunk = _chunks[hit.Ordinal]!;
                var normalised = hit.Score / ceiling * hit.Matched / counted;
                return new SearchResult(chunk.DocId, chunk.ChunkId, chunk.Title, chunk.SectionTitle, chunk.Text, hit.Score, Math.Round(normalised, 4));
            })];
        }
    }

    private PostingList ListOf(string term)
    {
        if (!_termIds.TryGetValue(term, out var id))
        {
            _termIds[term] = id = _lists.Count;
            _lists.Add(new PostingList());
        }

        return _lists[id];
    }

    private bool RemoveLocked(string docId)
    {
        if (!_byDocument.Remove(docId, out var ordinals))
        {
            return false;
        }

        foreach (var ordinal in ordinals)
        {
            // Document frequencies count live chunks only: the removed chunk's terms, found again from its text.
            foreach (var term in Bm25Tokenizer.Terms(_chunks[ordinal]!.Text).Distinct(StringComparer.Ordinal))
            {
                _lists[_termIds[term]].Live--;
            }

            _totalLength -= _lengths[ordinal];
            _chunks[ordinal] = null;
            _live--;
        }

        // Postings of removed chunks are skipped at search time and dropped here once those removed since the last
        // compaction outnumber the live ones: a pass over every list paid for by as many removals, never one per
        // removal (a new instance replacing a whole snapshot's documents would otherwise take minutes).
        _removedSinceCompaction += ordinals.Length;
        if (_removedSinceCompaction > Math.Max(_compactAfter, _live))
        {
            foreach (var list in _lists)
            {
                list.Compact(_chunks);
            }

            _removedSinceCompaction = 0;
        }

        return true;
    }
}

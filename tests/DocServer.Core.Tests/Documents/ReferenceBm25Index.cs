using DocServer.Core.Documents;
using DocServer.Core.Evidence;

namespace DocServer.Core.Tests.Documents;

/// <summary>
/// The BM25 index as it was before compact postings and max-score pruning (kept as the oracle the new one must
/// agree with, top 10 ids, order and scores). An in-memory BM25 index over chunks (k1 = 1.2, b = 0.75). Scores are normalised to 0..1 by the
/// best score the query could reach (every query term at saturation), so they mean the same across
/// queries and can stand in for rerank scores (E2's 0.25 cut). Thread-safe; removal is by document.
/// </summary>
internal sealed class ReferenceBm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(int Chunk, int Frequency)>> _postings = new(StringComparer.Ordinal);
    private readonly List<(DocumentChunk Chunk, int Length)?> _chunks = [];
    private readonly Dictionary<string, List<int>> _byDocument = new(StringComparer.Ordinal);
    private long _totalLength;
    private int _live;

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
        var analysed = chunks.Select(c => (Chunk: c, Terms: Bm25Tokenizer.Terms(c.Text))).ToList();
        lock (_lock)
        {
            RemoveLocked(docId);
            var ordinals = new List<int>(analysed.Count);
            foreach (var (chunk, terms) in analysed)
            {
                var ordinal = _chunks.Count;
                _chunks.Add((chunk, terms.Count));
                ordinals.Add(ordinal);
                _totalLength += terms.Count;
                _live++;
                foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
                {
                    if (!_postings.TryGetValue(group.Key, out var list))
                    {
                        _postings[group.Key] = list = [];
                    }

                    list.Add((ordinal, group.Count()));
                }
            }

            _byDocument[docId] = ordinals;
        }
    }

    public bool Remove(string docId)
    {
        lock (_lock)
        {
            return RemoveLocked(docId);
        }
    }

    /// <summary>The best <paramref name="top"/> chunks for the query, best first.</summary>
    public IReadOnlyList<SearchResult> Search(string query, int top)
    {
        var queryTerms = Bm25Tokenizer.Terms(query).Distinct(StringComparer.Ordinal).ToList();
        lock (_lock)
        {
            if (_live == 0 || queryTerms.Count == 0)
            {
                return [];
            }

            var averageLength = (double)_totalLength / _live;
            var scores = new Dictionary<int, (double Score, int Matched)>();
            var ceiling = 0.0;
            var counted = 0;
            foreach (var term in queryTerms)
            {
                var live = _postings.TryGetValue(term, out var postings) ? postings.Where(p => _chunks[p.Chunk] is not null).ToList() : [];
                if (live.Count == 0)
                {
                    // A word of the question that no chunk has counts against every chunk; a Hangul bigram
                    // spanning a particle (절차와 -> 차와) is an artefact of splitting and does not.
                    counted += IsHangulBigram(term) ? 0 : 1;
                    continue;
                }

                counted++;
                var idf = Math.Log(1 + ((_live - live.Count + 0.5) / (live.Count + 0.5)));
                ceiling += idf * (K1 + 1);
                foreach (var (chunk, frequency) in live)
                {
                    var length = _chunks[chunk]!.Value.Length;
                    var score = idf * frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * length / averageLength))));
                    var (sum, matched) = scores.GetValueOrDefault(chunk);
                    scores[chunk] = (sum + score, matched + 1);
                }
            }

            // Normalised: the share of the best score the known terms allow, times the share of the
            // question's terms the chunk holds. 1.0 = every term present, each at saturation.
            return [.. scores
                .OrderByDescending(s => s.Value.Score)
                .ThenBy(s => s.Key)
                .Take(top)
                .Select(s =>
                {
                    var chunk = _chunks[s.Key]!.Value.Chunk;
                    var normalised = s.Value.Score / ceiling * s.Value.Matched / counted;
                    return new SearchResult(chunk.DocId, chunk.ChunkId, chunk.Title, chunk.SectionTitle, chunk.Text, s.Value.Score, Math.Round(normalised, 4));
                })];
        }
    }

    private static bool IsHangulBigram(string term) => term.Length == 2 && term[0] is >= '가' and <= '힣';

    private bool RemoveLocked(string docId)
    {
        if (!_byDocument.Remove(docId, out var ordinals))
        {
            return false;
        }

        foreach (var ordinal in ordinals)
        {
            _totalLength -= _chunks[ordinal]!.Value.Length;
            _chunks[ordinal] = null;
            _live--;
        }

        // Postings of removed chunks are skipped at search time and dropped here when they pile up.
        if (_chunks.Count > 1024 && _live < _chunks.Count / 2)
        {
            foreach (var list in _postings.Values)
            {
                list.RemoveAll(p => _chunks[p.Chunk] is null);
            }
        }

        return true;
    }
}

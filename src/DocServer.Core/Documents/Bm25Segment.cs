namespace DocServer.Core.Documents;

/// <summary>
/// Some documents of a <see cref="Bm25Index"/>, frozen for a snapshot: their chunks in the index's order (a
/// document's chunks together), each chunk's length in terms, and every term they use with its postings over the
/// segment's own chunk ordinals, ascending. Postings are flat arrays (term t's are at
/// [TermStarts[t], TermStarts[t + 1])), so a new instance loads a segment by copying arrays and tokenises nothing.
/// The constructor checks the whole shape (ordinals in range and ascending, each chunk's frequencies adding up to its
/// length, terms unique), so a damaged snapshot is refused with <see cref="InvalidDataException"/>, never searched.
/// </summary>
public sealed class Bm25Segment
{
    private readonly int[] _lengths;
    private readonly int[] _termStarts;
    private readonly int[] _postingChunks;
    private readonly int[] _postingFrequencies;

    public Bm25Segment(IReadOnlyList<DocumentChunk> chunks, int[] lengths, IReadOnlyList<string> terms, int[] termStarts, int[] postingChunks, int[] postingFrequencies)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(termStarts);
        ArgumentNullException.ThrowIfNull(postingChunks);
        ArgumentNullException.ThrowIfNull(postingFrequencies);
        Chunks = chunks;
        Terms = terms;
        _lengths = lengths;
        _termStarts = termStarts;
        _postingChunks = postingChunks;
        _postingFrequencies = postingFrequencies;
        Documents = DocumentsInOrder(chunks);
        CheckPostings();
    }

    /// <summary>The chunks, in the order they were indexed; ordinal i is Chunks[i].</summary>
    public IReadOnlyList<DocumentChunk> Chunks { get; }

    /// <summary>The documents, in the order of their chunks.</summary>
    public IReadOnlyList<string> Documents { get; }

    public IReadOnlyList<string> Terms { get; }

    /// <summary>Each chunk's length in terms (what BM25 normalises by).</summary>
    public ReadOnlySpan<int> Lengths => _lengths;

    /// <summary>Where each term's postings start, with the end of the last: Terms.Count + 1 entries.</summary>
    public ReadOnlySpan<int> TermStarts => _termStarts;

    public ReadOnlySpan<int> PostingChunks => _postingChunks;

    public ReadOnlySpan<int> PostingFrequencies => _postingFrequencies;

    /// <summary>Term <paramref name="term"/>'s chunk ordinals, ascending.</summary>
    public ReadOnlySpan<int> ChunksOf(int term) => _postingChunks.AsSpan(_termStarts[term].._termStarts[term + 1]);

    /// <summary>Term <paramref name="term"/>'s frequencies, one per entry of <see cref="ChunksOf"/>.</summary>
    public ReadOnlySpan<int> FrequenciesOf(int term) => _postingFrequencies.AsSpan(_termStarts[term].._termStarts[term + 1]);

    private static List<string> DocumentsInOrder(IReadOnlyList<DocumentChunk> chunks)
    {
        var documents = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (documents.Count > 0 && documents[^1] == chunk.DocId)
            {
                continue;
            }

            if (!seen.Add(chunk.DocId))
            {
                throw new InvalidDataException($"Document '{chunk.DocId}' has chunks in two places of the segment.");
            }

            documents.Add(chunk.DocId);
        }

        return documents;
    }

    private void CheckPostings()
    {
        if (_lengths.Length != Chunks.Count)
        {
            throw new InvalidDataException($"The segment has {Chunks.Count} chunks but {_lengths.Length} lengths.");
        }

        if (_termStarts.Length != Terms.Count + 1 || _termStarts[0] != 0 || _termStarts[^1] != _postingChunks.Length || _postingFrequencies.Length != _postingChunks.Length)
        {
            throw new InvalidDataException("The segment's postings do not match its terms.");
        }

        if (new HashSet<string>(Terms, StringComparer.Ordinal).Count != Terms.Count)
        {
            throw new InvalidDataException("The segment names a term twice.");
        }

        var counted = new int[Chunks.Count];
        for (var term = 0; term < Terms.Count; term++)
        {
            if (_termStarts[term + 1] < _termStarts[term])
            {
                throw new InvalidDataException($"Term '{Terms[term]}' ends before it starts.");
            }

            var previous = -1;
            for (var p = _termStarts[term]; p < _termStarts[term + 1]; p++)
            {
                var (chunk, frequency) = (_postingChunks[p], _postingFrequencies[p]);
                if (chunk <= previous || chunk >= Chunks.Count || frequency <= 0)
                {
                    throw new InvalidDataException($"Term '{Terms[term]}' has a posting out of order or out of range.");
                }

                counted[chunk] += frequency;
                previous = chunk;
            }
        }

        // A chunk's length is its number of terms: its frequencies must add up to it, or postings were lost.
        for (var chunk = 0; chunk < counted.Length; chunk++)
        {
            if (counted[chunk] != _lengths[chunk])
            {
                throw new InvalidDataException($"Chunk {Chunks[chunk].ChunkId} has {_lengths[chunk]} terms but its postings count {counted[chunk]}.");
            }
        }
    }
}

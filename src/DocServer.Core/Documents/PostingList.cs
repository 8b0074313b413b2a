namespace DocServer.Core.Documents;

/// <summary>
/// One term's postings: chunk ordinals in ascending order with their frequencies, in two arrays that grow by
/// doubling. <see cref="MaxFrequency"/> and <see cref="MinLength"/> bound the term's best score for max-score
/// pruning; they only ever loosen (a removal keeps them), so the bound stays an upper bound.
/// </summary>
internal sealed class PostingList
{
    private int[] _chunks = new int[2];
    private int[] _frequencies = new int[2];

    public int Count { get; private set; }

    /// <summary>Postings whose chunk is still indexed: the document frequency.</summary>
    public int Live { get; set; }

    public int MaxFrequency { get; private set; }

    public int MinLength { get; private set; } = int.MaxValue;

    public ReadOnlySpan<int> Chunks => _chunks.AsSpan(0, Count);

    public ReadOnlySpan<int> Frequencies => _frequencies.AsSpan(0, Count);

    public void Append(int chunk, int frequency, int length)
    {
        if (Count == _chunks.Length)
        {
            Array.Resize(ref _chunks, Count * 2);
            Array.Resize(ref _frequencies, Count * 2);
        }

        _chunks[Count] = chunk;
        _frequencies[Count] = frequency;
        Count++;
        Live++;
        MaxFrequency = Math.Max(MaxFrequency, frequency);
        MinLength = Math.Min(MinLength, length);
    }

    /// <summary>
    /// Appends a segment's postings for this term, its ordinals moved up by <paramref name="first"/> (all above the ones
    /// held); <paramref name="lengths"/> are the index's chunk lengths by ordinal.
    /// </summary>
    public void AppendRange(ReadOnlySpan<int> chunks, ReadOnlySpan<int> frequencies, int first, ReadOnlySpan<int> lengths)
    {
        if (Count + chunks.Length > _chunks.Length)
        {
            // Sized to fit when loading into an empty list: a snapshot's lists are final, with no room to spare.
            var size = Count == 0 ? chunks.Length : Math.Max(Count + chunks.Length, Count * 2);
            Array.Resize(ref _chunks, size);
            Array.Resize(ref _frequencies, size);
        }

        for (var i = 0; i < chunks.Length; i++)
        {
            var chunk = first + chunks[i];
            _chunks[Count + i] = chunk;
            _frequencies[Count + i] = frequencies[i];
            MaxFrequency = Math.Max(MaxFrequency, frequencies[i]);
            MinLength = Math.Min(MinLength, lengths[chunk]);
        }

        Count += chunks.Length;
        Live += chunks.Length;
    }

    /// <summary>Drops the postings of removed chunks (null in <paramref name="chunks"/>).</summary>
    public void Compact(List<DocumentChunk?> chunks)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            if (chunks[_chunks[i]] is not null)
            {
                _chunks[kept] = _chunks[i];
                _frequencies[kept] = _frequencies[i];
                kept++;
            }
        }

        Count = kept;
    }
}

using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// A snapshot shard on disk: gzip'd binary, read in one pass into arrays of the exact size. A magic, the counts
/// (documents, chunks, terms, postings) and their hash; then each document (id, version, ingested-at, chunk count)
/// with its chunks (index, title, section, text, length in terms); then each term with its postings (ordinal gaps and
/// frequencies as 7-bit integers). Anything that does not read back whole and as counted, or does not make a valid
/// <see cref="Bm25Segment"/>, is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class SnapshotShardFormat
{
    private const int Magic = 0x32495344; // "DSI2"

    public static void Write(Stream destination, SnapshotShard shard)
    {
        var segment = shard.Index;
        if (!shard.Documents.Select(d => d.Id).SequenceEqual(segment.Documents, StringComparer.Ordinal))
        {
            throw new ArgumentException("A shard's documents must be its segment's documents, in the segment's order.", nameof(shard));
        }

        using var gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        using var buffered = new BufferedStream(gzip, 1 << 16);
        using var writer = new BinaryWriter(buffered, Encoding.UTF8);
        writer.Write(Magic);
        var counts = new Counts(shard.Documents.Count, segment.Chunks.Count, segment.Terms.Count, segment.PostingChunks.Length);
        counts.Write(writer);
        var chunk = 0;
        foreach (var document in shard.Documents)
        {
            writer.Write(document.Id);
            WriteNullable(writer, document.Version);
            writer.Write(document.IngestedAt.UtcTicks);
            var first = chunk;
            while (chunk < segment.Chunks.Count && segment.Chunks[chunk].DocId == document.Id)
            {
                chunk++;
            }

            writer.Write7BitEncodedInt(chunk - first);
            for (var c = first; c < chunk; c++)
            {
                var held = segment.Chunks[c];
                writer.Write7BitEncodedInt(held.Index);
                WriteNullable(writer, held.Title);
                WriteNullable(writer, held.SectionTitle);
                writer.Write(held.Text);
                writer.Write7BitEncodedInt(segment.Lengths[c]);
            }
        }

        for (var term = 0; term < segment.Terms.Count; term++)
        {
            var chunks = segment.ChunksOf(term);
            var frequencies = segment.FrequenciesOf(term);
            writer.Write(segment.Terms[term]);
            writer.Write7BitEncodedInt(chunks.Length);
            var previous = -1;
            for (var p = 0; p < chunks.Length; p++)
            {
                writer.Write7BitEncodedInt(chunks[p] - previous);
                writer.Write7BitEncodedInt(frequencies[p]);
                previous = chunks[p];
            }
        }
    }

    public static SnapshotShard Read(Stream source)
    {
        try
        {
            using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
            using var buffered = new BufferedStream(gzip, 1 << 16);
            using var reader = new BinaryReader(buffered, Encoding.UTF8);
            if (reader.ReadInt32() != Magic)
            {
                throw new InvalidDataException("Not an index snapshot shard of this format.");
            }

            var counts = Counts.Read(reader);
            var (documents, chunks, lengths) = ReadDocuments(reader, counts);
            var terms = new string[counts.Terms];
            var starts = new int[counts.Terms + 1];
            var (postingChunks, postingFrequencies) = (new int[counts.Postings], new int[counts.Postings]);
            var at = 0;
            for (var term = 0; term < terms.Length; term++)
            {
                terms[term] = reader.ReadString();
                var postings = reader.Read7BitEncodedInt();
                if (postings < 0 || postings > postingChunks.Length - at)
                {
                    throw new InvalidDataException("The shard has more postings than it counts.");
                }

                var ordinal = -1;
                for (var end = at + postings; at < end; at++)
                {
                    ordinal += reader.Read7BitEncodedInt();
                    postingChunks[at] = ordinal;
                    postingFrequencies[at] = reader.Read7BitEncodedInt();
                }

                starts[term + 1] = at;
            }

            return new SnapshotShard(documents, new Bm25Segment(chunks, lengths, terms, starts, postingChunks, postingFrequencies));
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"The index snapshot shard is damaged: {ex.Message}", ex);
        }
    }

    private static (SnapshotDocument[] Documents, DocumentChunk[] Chunks, int[] Lengths) ReadDocuments(BinaryReader reader, Counts counts)
    {
        var (documents, chunks, lengths) = (new SnapshotDocument[counts.Documents], new DocumentChunk[counts.Chunks], new int[counts.Chunks]);
        var at = 0;
        for (var d = 0; d < documents.Length; d++)
        {
            var id = reader.ReadString();
            documents[d] = new SnapshotDocument(id, ReadNullable(reader), new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero));
            var chunkCount = reader.Read7BitEncodedInt();
            if (chunkCount < 0 || chunkCount > chunks.Length - at)
            {
                throw new InvalidDataException("The shard has more chunks than it counts.");
            }

            string? title = null;
            for (var end = at + chunkCount; at < end; at++)
            {
                var index = reader.Read7BitEncodedInt();

                // A document's chunks mostly share its title: one string for all of them, not one each.
                var read = ReadNullable(reader);
                title = read == title ? title : read;
                chunks[at] = new DocumentChunk(id, index, title, ReadNullable(reader), reader.ReadString());
                lengths[at] = reader.Read7BitEncodedInt();
            }
        }

        return at == chunks.Length ? (documents, chunks, lengths) : throw new InvalidDataException("The shard has fewer chunks than it counts.");
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    /// <summary>
    /// How many of each a shard holds, so its arrays are made at their final size; hashed, so a damaged count is caught
    /// before anything is sized by it.
    /// </summary>
    private readonly record struct Counts(int Documents, int Chunks, int Terms, int Postings)
    {
        public void Write(BinaryWriter writer)
        {
            writer.Write(Documents);
            writer.Write(Chunks);
            writer.Write(Terms);
            writer.Write(Postings);
            writer.Write(Hash(Documents, Chunks, Terms, Postings));
        }

        public static Counts Read(BinaryReader reader)
        {
            var counts = new Counts(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            if (reader.ReadUInt32() != Hash(counts.Documents, counts.Chunks, counts.Terms, counts.Postings) || counts.Documents < 0 || counts.Chunks < 0 || counts.Terms < 0 || counts.Postings < 0)
            {
                throw new InvalidDataException("The shard's counts are damaged.");
            }

            return counts;
        }

        private static uint Hash(int documents, int chunks, int terms, int postings) =>
            XxHash32.HashToUInt32(System.Runtime.InteropServices.MemoryMarshal.AsBytes<int>([documents, chunks, terms, postings]));
    }
}

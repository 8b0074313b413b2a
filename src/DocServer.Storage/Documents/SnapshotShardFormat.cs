using System.IO.Compression;
using System.Text;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// A snapshot shard on disk: gzip'd binary, read in one pass. A magic and format number, then each document (id,
/// version, ingested-at, chunk count) with its chunks (index, title, section, text, length in terms), then each term
/// with its postings (ordinal gaps and frequencies as 7-bit integers). Anything that does not read back whole, or
/// does not make a valid <see cref="Bm25Segment"/>, is an <see cref="InvalidDataException"/>.
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
        writer.Write(shard.Documents.Count);
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
                var (held, length) = (segment.Chunks[c], segment.Lengths[c]);
                writer.Write7BitEncodedInt(held.Index);
                WriteNullable(writer, held.Title);
                WriteNullable(writer, held.SectionTitle);
                writer.Write(held.Text);
                writer.Write7BitEncodedInt(length);
            }
        }

        writer.Write(segment.Terms.Count);
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

            var (documents, chunks, lengths) = ReadDocuments(reader);
            // Counts are read, never trusted for sizing: a damaged count must end in an error, not a huge allocation.
            var termCount = Count(reader.ReadInt32());
            var (terms, starts) = (new List<string>(), new List<int> { 0 });
            var (postingChunks, postingFrequencies) = (new List<int>(), new List<int>());
            for (var term = 0; term < termCount; term++)
            {
                terms.Add(reader.ReadString());
                var postings = Count(reader.Read7BitEncodedInt());
                var ordinal = -1;
                for (var p = 0; p < postings; p++)
                {
                    ordinal += reader.Read7BitEncodedInt();
                    postingChunks.Add(ordinal);
                    postingFrequencies.Add(reader.Read7BitEncodedInt());
                }

                starts.Add(postingChunks.Count);
            }

            return new SnapshotShard(documents, new Bm25Segment(chunks, [.. lengths], terms, [.. starts], [.. postingChunks], [.. postingFrequencies]));
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException($"The index snapshot shard is damaged: {ex.Message}", ex);
        }
    }

    private static (List<SnapshotDocument> Documents, List<DocumentChunk> Chunks, List<int> Lengths) ReadDocuments(BinaryReader reader)
    {
        var count = Count(reader.ReadInt32());
        var (documents, chunks, lengths) = (new List<SnapshotDocument>(), new List<DocumentChunk>(), new List<int>());
        for (var d = 0; d < count; d++)
        {
            var id = reader.ReadString();
            documents.Add(new SnapshotDocument(id, ReadNullable(reader), new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero)));
            var chunkCount = Count(reader.Read7BitEncodedInt());
            string? title = null;
            for (var c = 0; c < chunkCount; c++)
            {
                var index = reader.Read7BitEncodedInt();

                // A document's chunks mostly share its title: one string for all of them, not one each.
                var read = ReadNullable(reader);
                title = read == title ? title : read;
                chunks.Add(new DocumentChunk(id, index, title, ReadNullable(reader), reader.ReadString()));
                lengths.Add(reader.Read7BitEncodedInt());
            }
        }

        return (documents, chunks, lengths);
    }

    private static int Count(int value) => value >= 0 ? value : throw new InvalidDataException("A count in the index snapshot shard is negative.");

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}

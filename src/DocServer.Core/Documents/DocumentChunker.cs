using System.Text.RegularExpressions;
using DocServer.Core.Text;

namespace DocServer.Core.Documents;

/// <summary>
/// Splits a document into overlapping chunks. Markdown is first split at headings, so a chunk never
/// straddles two sections and carries its section's title (the heading path, "A > B"); inside a
/// section, chunks of about <see cref="TargetChars"/> break at a paragraph, sentence or word gap and
/// repeat the last <see cref="OverlapChars"/> or so of the previous chunk, so a sentence cut at a
/// boundary is whole in one of them.
/// </summary>
public static partial class DocumentChunker
{
    public const int TargetChars = 900;
    public const int MaxChars = 1200;
    public const int OverlapChars = 150;

    public static IReadOnlyList<DocumentChunk> Chunk(string docId, string? title, string text, bool markdown)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chunks = new List<DocumentChunk>();
        foreach (var (section, body) in markdown ? Sections(text) : [(null, text)])
        {
            foreach (var piece in Pieces(body))
            {
                chunks.Add(new DocumentChunk(docId, chunks.Count, title, section, piece));
            }
        }

        return chunks;
    }

    private static IEnumerable<(string? Section, string Body)> Sections(string text)
    {
        var path = new List<(int Level, string Title)>();
        var start = 0;
        string? current = null;
        foreach (Match heading in Heading().Matches(text))
        {
            if (heading.Index > start)
            {
                yield return (current, text[start..heading.Index]);
            }

            var level = heading.Groups["hashes"].Value.Length;
            path.RemoveAll(p => p.Level >= level);
            path.Add((level, heading.Groups["title"].Value.Trim()));
            current = string.Join(" > ", path.Select(p => p.Title));
            start = heading.Index + heading.Length;
        }

        if (start < text.Length)
        {
            yield return (current, text[start..]);
        }
    }

    private static IEnumerable<string> Pieces(string body)
    {
        var text = body.Trim();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.Length - start <= MaxChars ? text.Length : BreakNear(text, start + TargetChars, start + MaxChars);
            var piece = text[start..end].Trim();
            if (piece.Length > 0)
            {
                yield return piece;
            }

            if (end >= text.Length)
            {
                yield break;
            }

            // Step back for the overlap, to a word start, but always move forward.
            var next = TextElements.Ceiling(text, Math.Max(start + 1, end - OverlapChars));
            var gap = text.IndexOf(' ', next);
            start = gap > next && gap < end ? gap + 1 : next;
        }
    }

    /// <summary>The best break at or after <paramref name="target"/> and before <paramref name="max"/>: paragraph, sentence, word.</summary>
    private static int BreakNear(string text, int target, int max)
    {
        max = Math.Min(max, text.Length);
        foreach (var separator in new[] { "\n\n", ". ", "다. ", "\n", " " })
        {
            var at = text.IndexOf(separator, target, max - target, StringComparison.Ordinal);
            if (at >= 0)
            {
                return at + separator.Length;
            }
        }

        return TextElements.Floor(text, max);
    }

    [GeneratedRegex(@"^(?<hashes>#{1,6})[ \t]+(?<title>.+?)[ \t#]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}

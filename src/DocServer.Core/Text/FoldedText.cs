using System.Globalization;
using System.Text;

namespace DocServer.Core.Text;

/// <summary>
/// A text prepared for matching query tokens: NFC-normalised and lower-cased, with a map from every
/// position back to the original, so what is found is reported as offsets into the source. Text that
/// is already NFC (nearly all of it) is only lower-cased, one char for one char, with no map.
/// Decomposed text (Hangul from macOS file systems, say) is folded one grapheme at a time.
/// </summary>
public sealed class FoldedText
{
    private readonly int[]? _toOriginal;

    private FoldedText(string original, string folded, int[]? toOriginal)
    {
        Original = original;
        Folded = folded;
        _toOriginal = toOriginal;
    }

    public string Original { get; }

    public string Folded { get; }

    public static FoldedText Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.IsNormalized(NormalizationForm.FormC))
        {
            return new FoldedText(text, LowerSameLength(text), null);
        }

        var folded = new StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement().Normalize(NormalizationForm.FormC);
            foreach (var c in element)
            {
                folded.Append(char.ToLowerInvariant(c));
                map.Add(enumerator.ElementIndex);
            }
        }

        map.Add(text.Length);
        return new FoldedText(text, folded.ToString(), [.. map]);
    }

    /// <summary>The original offset of a folded position (a position inside a grapheme maps to its start).</summary>
    public int ToOriginal(int foldedIndex) => _toOriginal is null ? foldedIndex : _toOriginal[foldedIndex];

    /// <summary>The end offset in the original of a folded range ending at <paramref name="foldedEnd"/> (exclusive).</summary>
    public int ToOriginalEnd(int foldedEnd)
    {
        if (_toOriginal is null || foldedEnd >= Folded.Length)
        {
            return _toOriginal is null ? foldedEnd : Original.Length;
        }

        // The range ends where the grapheme holding the next folded char starts.
        return _toOriginal[foldedEnd];
    }

    private static string LowerSameLength(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.ToLowerInvariant(source[i]);
            }
        });
}

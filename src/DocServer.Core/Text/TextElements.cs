using System.Globalization;

namespace DocServer.Core.Text;

/// <summary>
/// Grapheme boundaries (user-perceived characters), so cutting text never splits a surrogate pair, a
/// base letter from its combining marks, decomposed Hangul jamo, or an emoji sequence. Segmentation
/// starts from a nearby position known to be a boundary (just before a space), not from the text start.
/// </summary>
public static class TextElements
{
    private const int AnchorSearch = 128;

    public static bool IsBoundary(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        return index <= 0 || index >= text.Length || Walk(text, Anchor(text, index), index).Reached == index;
    }

    /// <summary>The largest boundary at or before <paramref name="index"/>.</summary>
    public static int Floor(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        index = Math.Clamp(index, 0, text.Length);
        var (reached, last) = Walk(text, Anchor(text, index), index);
        return reached == index ? index : last;
    }

    /// <summary>The smallest boundary at or after <paramref name="index"/>.</summary>
    public static int Ceiling(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        index = Math.Clamp(index, 0, text.Length);
        return Walk(text, Anchor(text, index), index).Reached;
    }

    /// <summary>
    /// Steps element by element from the boundary <paramref name="from"/> until at or past <paramref name="index"/>:
    /// where it stopped, and the boundary before that.
    /// </summary>
    private static (int Reached, int Last) Walk(string text, int from, int index)
    {
        var (position, last) = (from, from);
        while (position < index)
        {
            last = position;
            position += StringInfo.GetNextTextElementLength(text.AsSpan(position));
        }

        return (position, last);
    }

    /// <summary>
    /// A boundary at or before <paramref name="index"/>: the position of a whitespace character (nothing
    /// but CR or a rare prepend mark can join onto a following space), or the start of the text.
    /// </summary>
    private static int Anchor(string text, int index)
    {
        var stop = Math.Max(0, index - AnchorSearch);
        for (var i = Math.Min(index, text.Length - 1); i > stop; i--)
        {
            if ((text[i] == ' ' || text[i] == '\n' || text[i] == '\t') && text[i - 1] != '\r')
            {
                return i;
            }
        }

        if (stop == 0)
        {
            return 0;
        }

        // No whitespace near: the boundary at or before the search's end, walked to from the text's start.
        var (reached, last) = Walk(text, 0, stop);
        return reached == stop ? stop : last;
    }
}

using System.Text;

namespace DocServer.Core.Text;

/// <summary>
/// A text folded for loose comparison (lower case, NFC, every run of whitespace as one space), with a
/// map back to original offsets.
/// </summary>
internal sealed class CompactText
{
    private readonly FoldedText _folded;
    private readonly int[] _toFolded;

    private CompactText(FoldedText folded, string text, int[] toFolded)
    {
        _folded = folded;
        Text = text;
        _toFolded = toFolded;
    }

    public string Text { get; }

    public static CompactText Of(string original)
    {
        var folded = FoldedText.Of(original);
        var text = new StringBuilder(folded.Folded.Length);
        var map = new List<int>(folded.Folded.Length + 1);
        var inSpace = false;
        for (var i = 0; i < folded.Folded.Length; i++)
        {
            var c = folded.Folded[i];
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    text.Append(' ');
                    map.Add(i);
                }

                inSpace = true;
                continue;
            }

            inSpace = false;
            text.Append(c);
            map.Add(i);
        }

        map.Add(folded.Folded.Length);
        return new CompactText(folded, text.ToString(), [.. map]);
    }

    public int ToOriginal(int index) => _folded.ToOriginal(_toFolded[index]);

    public int ToOriginalEnd(int end) => end >= Text.Length ? _folded.Original.Length : _folded.ToOriginalEnd(_toFolded[end - 1] + 1);
}

namespace DocServer.Core.Text;

/// <summary>A stretch of a text: where it starts, how long it is, and how many query-token hits it holds.</summary>
public readonly record struct TextWindow(int Start, int Length, int Hits)
{
    public int End => Start + Length;

    /// <summary>False when the text has no query token at all: the caller decides what to show then.</summary>
    public bool HasHit => Hits > 0;

    public string Of(string text) => text.Substring(Start, Length);
}

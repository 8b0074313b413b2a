namespace DocServer.Core.Text;

/// <summary>Hangul syllables (가..힣): what the tokenizer makes bigrams of and what tells a Korean answer.</summary>
public static class Hangul
{
    public static bool IsSyllable(char c) => c is >= '가' and <= '힣';
}

using System.Text;
using DocServer.Core.Text;

namespace DocServer.Core.Documents;

/// <summary>
/// Terms for BM25: Hangul as overlapping character bigrams (Korean attaches particles to words, so
/// bigrams match 연차휴가 inside 연차휴가를), a lone syllable as itself; Latin words and numbers whole,
/// lower-cased, less English function words. Text is NFC-normalised first so decomposed Hangul indexes the same.
/// </summary>
public static class Bm25Tokenizer
{
    public static List<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var terms = new List<string>();
        var i = 0;
        while (i < normalized.Length)
        {
            var c = normalized[i];
            if (IsHangul(c))
            {
                var start = i;
                while (i < normalized.Length && IsHangul(normalized[i]))
                {
                    i++;
                }

                if (i - start == 1)
                {
                    terms.Add(normalized.Substring(start, 1));
                }

                for (var j = start; j + 1 < i; j++)
                {
                    terms.Add(normalized.Substring(j, 2));
                }
            }
            else if (char.IsAsciiLetterOrDigit(c) || (char.IsLetter(c) && c < '\u0250'))
            {
                var start = i;
                while (i < normalized.Length && (char.IsAsciiLetterOrDigit(normalized[i]) || (char.IsLetter(normalized[i]) && normalized[i] < '\u0250')))
                {
                    i++;
                }

                var word = normalized[start..i].ToLowerInvariant();
                if (!StopWords.IsStopWord(word))
                {
                    terms.Add(word);
                }
            }
            else
            {
                i++;
            }
        }

        return terms;
    }

    private static bool IsHangul(char c) => Text.Hangul.IsSyllable(c);
}

using System.Text;
using System.Text.RegularExpressions;

namespace DocServer.Core.Text;

/// <summary>
/// The words of a query that matter for finding evidence: runs of two or more Hangul syllables and
/// Latin words of three or more letters (less English function words), NFC-normalised and lower-cased. "Critical" tokens (E12) are
/// the longer ones, or short ones carrying a suffix that names what is asked (조건, 기준, 절차, ...).
/// </summary>
public sealed partial class QueryTokens
{
    private static readonly string[] ImportantSuffixes = ["조건", "기준", "요건", "처벌", "벌칙", "정의", "차이", "절차", "방법", "계산"];

    /// <summary>
    /// English function words of three or more letters. The seed's rule (Latin words of 3+ letters) was
    /// made for Korean queries; in English, "the" and "what" would otherwise outvote the words that
    /// matter, both for where a window goes and for which spans count as matching (E12).
    /// </summary>
    private static readonly HashSet<string> EnglishStopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "was", "were", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
        "with", "from", "into", "onto", "this", "that", "these", "those", "there", "their", "they", "them", "then", "than",
        "does", "did", "has", "have", "had", "can", "could", "should", "would", "will", "shall", "may", "might", "must",
        "not", "but", "any", "all", "our", "your", "you", "its", "about", "after", "before", "over", "under", "been", "being",
    };

    private QueryTokens(IReadOnlyList<string> all, IReadOnlyList<string> critical)
    {
        All = all;
        Critical = critical;
    }

    public IReadOnlyList<string> All { get; }

    public IReadOnlyList<string> Critical { get; }

    public bool IsEmpty => All.Count == 0;

    public static QueryTokens Of(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var normalized = query.Normalize(NormalizationForm.FormC);
        var all = TokenPattern().Matches(normalized).Select(m => m.Value.ToLowerInvariant()).Where(t => !EnglishStopWords.Contains(t)).Distinct(StringComparer.Ordinal).ToList();
        var critical = all.Where(t => t.Length >= 3 || ImportantSuffixes.Any(s => t.Contains(s, StringComparison.Ordinal))).ToList();
        return new QueryTokens(all, critical);
    }

    [GeneratedRegex("[가-힣]{2,}|[A-Za-z]{3,}")]
    private static partial Regex TokenPattern();
}

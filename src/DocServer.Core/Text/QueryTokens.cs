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
        var all = TokenPattern().Matches(normalized).Select(m => m.Value.ToLowerInvariant()).Where(t => !StopWords.IsStopWord(t)).Distinct(StringComparer.Ordinal).ToList();
        var critical = all.Where(t => t.Length >= 3 || ImportantSuffixes.Any(s => t.Contains(s, StringComparison.Ordinal))).ToList();
        return new QueryTokens(all, critical);
    }

    [GeneratedRegex("[가-힣]{2,}|[A-Za-z]{3,}")]
    private static partial Regex TokenPattern();
}

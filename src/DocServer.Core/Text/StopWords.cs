namespace DocServer.Core.Text;

/// <summary>
/// English function words of two or more letters. The seed's token rule (Latin words of 3+ letters)
/// was made for Korean queries; in English, "the" and "what" would otherwise outvote the words that
/// matter: where a window goes, which spans count as matching (E12), and what BM25 ranks.
/// </summary>
public static class StopWords
{
    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "is", "am", "be", "of", "to", "in", "on", "at", "by", "or", "as", "an", "it", "if", "do", "so", "no", "we", "my", "me",
        "the", "and", "for", "are", "was", "were", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
        "with", "from", "into", "onto", "this", "that", "these", "those", "there", "their", "they", "them", "then", "than",
        "does", "did", "has", "have", "had", "can", "could", "should", "would", "will", "shall", "may", "might", "must",
        "not", "but", "any", "all", "our", "your", "you", "its", "about", "after", "before", "over", "under", "been", "being",
    };

    /// <summary>True for a lower-cased English function word.</summary>
    public static bool IsStopWord(string lowerCaseWord) => English.Contains(lowerCaseWord);
}

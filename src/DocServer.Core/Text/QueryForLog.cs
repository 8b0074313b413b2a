namespace DocServer.Core.Text;

/// <summary>How much of a question a log line carries: enough to recognise it, not a whole pasted document.</summary>
public static class QueryForLog
{
    public const int MaxChars = 80;

    public static string Of(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Length > MaxChars ? query[..MaxChars] : query;
    }
}

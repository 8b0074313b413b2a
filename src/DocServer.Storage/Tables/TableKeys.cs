namespace DocServer.Storage.Tables;

/// <summary>PartitionKey and RowKey rules of the Table service, checked before a request is sent.</summary>
public static class TableKeys
{
    public const int MaxLength = 1024;

    public static string Validate(string value, string name)
    {
        if (value is null || value.Length > MaxLength || value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"{name} '{value}' is not a valid Table key: at most {MaxLength} characters, none of / \\ # ? or control characters.", name);
        }

        return value;
    }

    /// <summary>The key in a resource path: quotes doubled (OData), then percent-encoded.</summary>
    public static string InPath(string value) => Uri.EscapeDataString(value.Replace("'", "''", StringComparison.Ordinal));

    /// <summary>A string literal inside an OData $filter.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

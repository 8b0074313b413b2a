namespace DocServer.Functions.Documents;

/// <summary>An ask before this instance's index finished its first load: answered 503 with Retry-After, not from part of the documents.</summary>
internal sealed class IndexNotReadyException : Exception
{
    public IndexNotReadyException(int loaded, int total)
        : base($"This instance is still loading its search index ({loaded} of {total} documents); ask again in a few seconds.")
    {
    }

    public IndexNotReadyException()
    {
    }

    public IndexNotReadyException(string message)
        : base(message)
    {
    }

    public IndexNotReadyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace DocServer.Functions.Documents;

/// <summary>
/// This instance's index before its first load is complete: asks are refused (503 with Retry-After) rather than
/// answered from part of the documents, which would be wrong without saying so.
/// </summary>
internal sealed record IndexLoading(int Loaded, int Total)
{
    public string Message => $"This instance is still loading its search index ({Loaded} of {Total} documents); ask again in a few seconds.";
}

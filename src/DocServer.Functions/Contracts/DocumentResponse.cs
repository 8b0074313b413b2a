using DocServer.Storage.Documents;

namespace DocServer.Functions.Contracts;

/// <summary>A document as the API shows it: what it is and what extraction found; versions stay inside storage.</summary>
internal sealed record DocumentResponse(
    string Id,
    string Title,
    string ContentType,
    DateTimeOffset IngestedAt,
    int Chunks,
    int Characters,
    string? Summary,
    IReadOnlyList<string>? Keywords,
    DateTimeOffset? ExtractedAt)
{
    /// <summary>Summary and keywords only once they belong to the version the document is now.</summary>
    public static DocumentResponse From(DocumentRecord document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var extracted = document.IsExtracted;
        return new(
            document.Id,
            document.Title,
            document.ContentType,
            document.IngestedAt,
            document.Chunks,
            document.Characters,
            extracted ? document.Summary : null,
            extracted ? document.Keywords : null,
            extracted ? document.ExtractedAt : null);
    }
}

/// <summary>GET /api/documents: a page of documents, and the token for the next page (null on the last).</summary>
internal sealed record DocumentList(IReadOnlyList<DocumentResponse> Items, string? ContinuationToken);

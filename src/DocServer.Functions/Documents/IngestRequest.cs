namespace DocServer.Functions.Documents;

/// <summary>POST /api/documents as JSON. ContentType: "markdown" (section-aware chunks) or "text".</summary>
internal sealed record IngestRequest(string? Id, string? Title, string? Content, string? ContentType);

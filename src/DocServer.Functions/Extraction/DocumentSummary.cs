namespace DocServer.Functions.Extraction;

/// <summary>What background extraction learns of a document.</summary>
internal sealed record DocumentSummary(string Summary, IReadOnlyList<string> Keywords);

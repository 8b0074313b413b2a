namespace DocServer.Functions.Extraction;

/// <summary>What background extraction learns of a document.</summary>
public sealed record DocumentSummary(string Summary, IReadOnlyList<string> Keywords);

namespace DocServer.Storage.Documents;

/// <summary>One page of the document list and where the next one starts (null: this was the last).</summary>
public sealed record DocumentPage(IReadOnlyList<DocumentRecord> Items, PageContinuation? Next);

using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>One document to store: what <see cref="DocumentStore.SaveAsync"/> takes, as one item of an import.</summary>
public sealed record DocumentImport(string Id, string Title, string ContentType, string Content, IReadOnlyList<DocumentChunk> Chunks);

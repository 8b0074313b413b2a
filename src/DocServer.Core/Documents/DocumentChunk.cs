namespace DocServer.Core.Documents;

/// <summary>A piece of a document small enough to retrieve and show: its position, its section, its text.</summary>
public sealed record DocumentChunk(string DocId, int Index, string? Title, string? SectionTitle, string Text)
{
    public string ChunkId => $"{DocId}:{Index}";
}

using DocServer.Core.Documents;
using DocServer.Testing;

namespace DocServer.Core.Tests.Documents;

public sealed class DocumentChunkerTests
{
    [Fact]
    public void Markdown_IsChunkedBySectionWithTheHeadingPathAsTitle()
    {
        var text = "# Manual\n\nIntro text.\n\n## Care\n\nService yearly.\n\n### Low pressure\n\nTop up to 1.5 bar.\n\n## Safety\n\nNever cover the flue.";

        var chunks = DocumentChunker.Chunk("boiler", "Boiler", text, markdown: true);

        Assert.Equal(["Manual", "Manual > Care", "Manual > Care > Low pressure", "Manual > Safety"], chunks.Select(c => c.SectionTitle));
        Assert.Equal(["Intro text.", "Service yearly.", "Top up to 1.5 bar.", "Never cover the flue."], chunks.Select(c => c.Text));
        Assert.Equal([0, 1, 2, 3], chunks.Select(c => c.Index));
        Assert.Equal("boiler:2", chunks[2].ChunkId);
    }

    [Fact]
    public void LongText_IsCutAtBoundariesWithinTheLimitAndOverlaps()
    {
        var text = string.Concat(Enumerable.Repeat(EvidenceFixtures.KoreanLeaveRule + " ", 4));

        var chunks = DocumentChunker.Chunk("rules", null, text, markdown: false);

        Assert.True(chunks.Count >= 5);
        Assert.All(chunks, c => Assert.InRange(c.Text.Length, 1, DocumentChunker.MaxChars));
        for (var i = 1; i < chunks.Count; i++)
        {
            // The next chunk starts with words the previous one ended with.
            var head = chunks[i].Text[..30];
            Assert.Contains(head, chunks[i - 1].Text, StringComparison.Ordinal);
        }

        var covered = string.Join(" ", chunks.Select(c => c.Text));
        Assert.Contains(EvidenceFixtures.KoreanProcedureSentence, covered, StringComparison.Ordinal);
    }
}

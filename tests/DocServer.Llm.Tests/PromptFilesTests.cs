using DocServer.Core.Evidence;
using DocServer.Core.Prompts;
using DocServer.Llm.Prompts;

namespace DocServer.Llm.Tests;

public sealed class PromptFilesTests
{
    [Fact]
    public void RepositoryEvidencePrompt_LoadsWithItsPlaceholdersAndAsksForVerbatimSpans()
    {
        var prompt = ExtractionBed.LoadPrompt();

        var text = prompt.Render(new Dictionary<string, string> { [EvidenceExtractor.QueryPlaceholder] = "Q?", [EvidenceExtractor.CandidatesPlaceholder] = "[1] title: t / text: x" });

        Assert.Contains("Q?", text, StringComparison.Ordinal);
        Assert.Contains("{\"items\": [{\"n\": 1", text, StringComparison.Ordinal);
        Assert.Contains("exactly", text, StringComparison.Ordinal);
    }

    [Fact]
    public void E4_MissingFile_IsNullForTheFallbackAndAnErrorNamingItOtherwise()
    {
        var files = new PromptFiles(Directory.CreateTempSubdirectory().FullName);

        Assert.Null(files.TryLoad("evidence_extract.txt", "query"));
        var error = Assert.Throws<PromptTemplateException>(() => files.Load("synthesis.txt", "query"));
        Assert.Contains("synthesis.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenFile_IsAStartUpErrorNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(folder, "evidence_extract.txt"), "Question: {qurey}\n{numbered_candidates}");
        var files = new PromptFiles(folder);

        var error = Assert.Throws<PromptTemplateException>(() => files.TryLoad("evidence_extract.txt", "query", "numbered_candidates"));

        Assert.Contains("evidence_extract.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("{query}", error.Message, StringComparison.Ordinal);
        Assert.Contains("{qurey}", error.Message, StringComparison.Ordinal);
    }
}

using DocServer.Core.Prompts;

namespace DocServer.Core.Tests.Prompts;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Render_FillsPlaceholdersOnceAndKeepsDoubledBracesLiteral()
    {
        var template = PromptTemplate.Parse("t.txt", "Q: {query}\nJSON: {{\"items\": []}}", "query");

        var text = template.Render(new Dictionary<string, string> { ["query"] = "what is {query}?" });

        Assert.Equal("Q: what is {query}?\nJSON: {\"items\": []}", text);
    }

    [Fact]
    public void Parse_MissingPlaceholder_FailsNamingFileAndPlaceholder()
    {
        var error = Assert.Throws<PromptTemplateException>(() => PromptTemplate.Parse("prompts/evidence_extract.txt", "no placeholders here", "query"));

        Assert.Contains("prompts/evidence_extract.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("{query}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownPlaceholder_FailsAndSuggestsDoublingBraces()
    {
        var error = Assert.Throws<PromptTemplateException>(() => PromptTemplate.Parse("p.txt", "{query} {qeury}", "query"));

        Assert.Contains("{qeury}", error.Message, StringComparison.Ordinal);
    }
}

using DocServer.Core.Answers;
using DocServer.Core.Evidence;
using DocServer.Core.Prompts;
using DocServer.Llm.Prompts;

namespace DocServer.Functions.Configuration;

/// <summary>
/// The prompt files, loaded and checked once at start-up. Only the evidence prompt may be missing
/// (E4: extraction then answers from rules); any other missing or broken prompt stops the app, naming the file.
/// </summary>
internal sealed class Prompts
{
    public const string DigestDocumentPlaceholder = "document";
    public const string TitlePlaceholder = "title";

    public Prompts(DocServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.IsPathRooted(options.PromptsPath) ? options.PromptsPath : Path.Combine(AppContext.BaseDirectory, options.PromptsPath);
        var files = new PromptFiles(directory);
        Evidence = files.TryLoad("evidence_extract.txt", EvidenceExtractor.QueryPlaceholder, EvidenceExtractor.CandidatesPlaceholder);
        Synthesis = files.Load("synthesis.txt", AnswerSynthesizer.QueryPlaceholder, AnswerSynthesizer.EvidencePlaceholder);
        DocumentSummary = files.Load("document_summary.txt", TitlePlaceholder, DigestDocumentPlaceholder);
    }

    public PromptTemplate? Evidence { get; }

    public PromptTemplate Synthesis { get; }

    public PromptTemplate DocumentSummary { get; }
}

using DocServer.Core.Prompts;

namespace DocServer.Llm.Prompts;

/// <summary>
/// Loads prompt templates from the prompts folder at start-up. A broken prompt (missing or unknown
/// placeholders) always stops start-up, naming the file; a missing file does too, unless the caller
/// has a rule-only fallback for it (E4), in which case it gets null and logs that it will fall back.
/// </summary>
public sealed class PromptFiles(string directory)
{
    public string Directory { get; } = directory;

    public PromptTemplate Load(string fileName, params string[] placeholders) =>
        TryLoad(fileName, placeholders) ?? throw new PromptTemplateException($"Prompt file '{PathOf(fileName)}' does not exist.");

    /// <summary>Null when the file does not exist; throws when it exists but is broken.</summary>
    public PromptTemplate? TryLoad(string fileName, params string[] placeholders)
    {
        var path = PathOf(fileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new PromptTemplateException($"Prompt file '{path}' is empty.");
        }

        return PromptTemplate.Parse(path, text, placeholders);
    }

    private string PathOf(string fileName) => Path.Combine(Directory, fileName);
}

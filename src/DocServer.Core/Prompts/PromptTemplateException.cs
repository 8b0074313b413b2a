namespace DocServer.Core.Prompts;

/// <summary>A prompt file that cannot be used as it is. The message names the file and what is wrong.</summary>
public sealed class PromptTemplateException : Exception
{
    public PromptTemplateException(string name, string problem)
        : base($"Prompt '{name}': {problem}.")
    {
    }

    public PromptTemplateException()
    {
    }

    public PromptTemplateException(string message)
        : base(message)
    {
    }

    public PromptTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

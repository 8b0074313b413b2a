using System.Text.Json;

namespace DocServer.Testing;

/// <summary>Replies like a well-behaved model: evidence JSON for evidence prompts, a cited answer for synthesis, a summary otherwise.</summary>
public static class SensibleModel
{
    public const string Answer = "According to your documents, this is the rule [1]. Nothing says otherwise [9].";

    public static string Reply(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (IsEvidence(prompt))
        {
            // Copy the first sentence of candidate 1 verbatim, as the prompt asks.
            var text = prompt[(prompt.IndexOf("[1] title:", StringComparison.Ordinal) + 10)..];
            text = text[(text.IndexOf("/ text: ", StringComparison.Ordinal) + 8)..];
            var end = text.IndexOfAny(['.', '\n']);
            var span = (end > 0 ? text[..(end + 1)] : text).Trim();
            return JsonSerializer.Serialize(new { items = new[] { new { n = 1, span, relevance = 0.9 } } });
        }

        if (IsSynthesis(prompt))
        {
            return Answer;
        }

        return "{\"summary\": \"A document about rules.\", \"keywords\": [\"rules\", \"notice\"]}";
    }

    public static bool IsEvidence(string prompt) => prompt?.Contains("Candidate passages", StringComparison.Ordinal) == true;

    public static bool IsSynthesis(string prompt) => prompt?.Contains("numbered evidence", StringComparison.Ordinal) == true;

    public static bool IsSummary(string prompt) => prompt?.Contains("Summarise one document", StringComparison.Ordinal) == true;
}

using System.Text;
using System.Text.RegularExpressions;

namespace DocServer.Core.Prompts;

/// <summary>
/// A prompt with <c>{name}</c> placeholders, checked when it is loaded: every required placeholder is
/// present and no unknown one is, so a typo fails at start-up naming the file, not mid-request.
/// Literal braces (JSON examples in the prompt) are written doubled: <c>{{</c> and <c>}}</c>.
/// </summary>
public sealed partial class PromptTemplate
{
    private readonly string _text;

    private PromptTemplate(string name, string text)
    {
        Name = name;
        _text = text;
    }

    public string Name { get; }

    public static PromptTemplate Parse(string name, string text, params string[] placeholders)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(placeholders);
        var found = Placeholder().Matches(text.Replace("{{", string.Empty, StringComparison.Ordinal).Replace("}}", string.Empty, StringComparison.Ordinal))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
        var missing = placeholders.Where(p => !found.Contains(p)).ToList();
        var unknown = found.Where(p => !placeholders.Contains(p)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new PromptTemplateException(name,
                (missing.Count > 0 ? $"missing placeholder(s) {string.Join(", ", missing.Select(p => "{" + p + "}"))}" : string.Empty) +
                (missing.Count > 0 && unknown.Count > 0 ? "; " : string.Empty) +
                (unknown.Count > 0 ? $"unknown placeholder(s) {string.Join(", ", unknown.Select(p => "{" + p + "}"))} (write literal braces as {{{{ and }}}})" : string.Empty));
        }

        return new PromptTemplate(name, text);
    }

    /// <summary>Fills every placeholder in one pass, so a value containing "{query}" is never expanded again.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new StringBuilder(_text.Length + values.Values.Sum(v => v.Length));
        for (var i = 0; i < _text.Length; i++)
        {
            var c = _text[i];
            if ((c == '{' || c == '}') && i + 1 < _text.Length && _text[i + 1] == c)
            {
                result.Append(c);
                i++;
                continue;
            }

            if (c == '{' && Placeholder().Match(_text, i) is { Success: true, Index: var at } match && at == i)
            {
                result.Append(values[match.Groups["name"].Value]);
                i += match.Length - 1;
                continue;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    [GeneratedRegex(@"\{(?<name>[a-z_]+)\}")]
    private static partial Regex Placeholder();
}

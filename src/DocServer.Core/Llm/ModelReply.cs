using System.Text.RegularExpressions;

namespace DocServer.Core.Llm;

/// <summary>
/// Reading what a local model sends back: reasoning in <c>&lt;think&gt;</c> blocks to drop (some servers
/// drop the opening tag and keep the closing one), and JSON to find in code fences or amid prose.
/// </summary>
public static partial class ModelReply
{
    private const string ThinkEnd = "</think>";

    /// <summary>The reply without reasoning: closed think blocks removed, and anything up to a lone closing tag.</summary>
    public static string WithoutReasoning(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = ThinkBlock().Replace(reply, string.Empty);
        var unclosedEnd = text.LastIndexOf(ThinkEnd, StringComparison.OrdinalIgnoreCase);
        return unclosedEnd >= 0 ? text[(unclosedEnd + ThinkEnd.Length)..] : text;
    }

    /// <summary>
    /// Every balanced <c>{...}</c> in the reply (reasoning removed), in order of where it starts (an
    /// object before the objects nested in it), those inside code fences first; braces inside JSON
    /// strings do not count. The caller takes the first one it can use.
    /// </summary>
    public static IEnumerable<string> JsonObjects(string reply)
    {
        var text = WithoutReasoning(reply);
        foreach (var candidate in Fence().Matches(text).Select(m => m.Groups["body"].Value).Append(text))
        {
            foreach (var json in BalancedObjects(candidate))
            {
                yield return json;
            }
        }
    }

    private static IEnumerable<string> BalancedObjects(string text)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var depth = 0;
            var inString = false;
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                if (c == '"')
                {
                    inString = true;
                }
                else if (c == '{')
                {
                    depth++;
                }
                else if (c == '}' && --depth == 0)
                {
                    yield return text[start..(i + 1)];
                    break;
                }
            }
        }
    }

    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"```[a-zA-Z]*\s*\n?(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();
}

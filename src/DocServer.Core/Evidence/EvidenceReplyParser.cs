using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocServer.Core.Evidence;

/// <summary>One item as the model wrote it; whether it is usable is decided later (E9).</summary>
public sealed record ReplyItem(int? N, string? Span, double? Relevance);

/// <summary>
/// E8: finds the <c>{"items": [...]}</c> object in what a local model actually sends back: reasoning in
/// <c>&lt;think&gt;</c> blocks, JSON in code fences, prose before or after, numbers written as strings.
/// Anything else is a parse failure (null), never a guess.
/// </summary>
public static partial class EvidenceReplyParser
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyList<ReplyItem>? TryParse(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var text = ThinkBlock().Replace(reply, string.Empty);
        var unclosedThinkEnd = text.LastIndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        if (unclosedThinkEnd >= 0)
        {
            text = text[(unclosedThinkEnd + "</think>".Length)..];
        }

        var candidates = Fence().Matches(text).Select(m => m.Groups["body"].Value).Append(text);
        foreach (var candidate in candidates)
        {
            foreach (var json in BalancedObjects(candidate))
            {
                if (ItemsOf(json) is { } items)
                {
                    return items;
                }
            }
        }

        return null;
    }

    private static List<ReplyItem>? ItemsOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Lenient);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("items", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return [.. items.EnumerateArray().Select(Item)];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ReplyItem Item(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new ReplyItem(null, null, null);
        }

        var n = Number(item, "n");
        var span = item.TryGetProperty("span", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return new ReplyItem(n is { } value && value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : null, span, Number(item, "relevance"));
    }

    private static double? Number(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>Every top-level {...} in order, matched by brace depth outside JSON strings.</summary>
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

using System.Globalization;
using System.Text.Json;
using DocServer.Core.Llm;

namespace DocServer.Core.Evidence;

/// <summary>One item as the model wrote it; whether it is usable is decided later (E9).</summary>
public sealed record ReplyItem(int? N, string? Span, double? Relevance);

/// <summary>
/// E8: finds the <c>{"items": [...]}</c> object in what a local model actually sends back: reasoning in
/// <c>&lt;think&gt;</c> blocks, JSON in code fences, prose before or after, numbers written as strings.
/// Anything else is a parse failure (null), never a guess.
/// </summary>
public static class EvidenceReplyParser
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyList<ReplyItem>? TryParse(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        foreach (var json in ModelReply.JsonObjects(reply))
        {
            if (ItemsOf(json) is { } items)
            {
                return items;
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
}

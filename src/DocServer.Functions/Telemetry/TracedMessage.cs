using System.Diagnostics;
using System.Text.Json;

namespace DocServer.Functions.Telemetry;

/// <summary>
/// A queue message that carries the trace it was sent from (W3C traceparent), so the run it causes can link
/// back to it: <c>{"traceparent": "00-…", "body": "…"}</c>. A message without the envelope (sent by an older
/// version, or by hand) is read as a plain body.
/// </summary>
internal static class TracedMessage
{
    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";
    private const string Body = "body";

    /// <summary>The body, wrapped with the current span's context when there is one.</summary>
    public static string Wrap(string body)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current)
        {
            return body;
        }

        var envelope = new Dictionary<string, string> { [TraceParent] = current.Id!, [Body] = body };
        if (current.TraceStateString is { Length: > 0 } state)
        {
            envelope[TraceState] = state;
        }

        return JsonSerializer.Serialize(envelope);
    }

    /// <summary>The body, and the context it was sent from if the message carries one.</summary>
    public static (string Body, ActivityContext? SentFrom) Unwrap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith('{'))
        {
            return (text, null);
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty(Body, out var body) && body.ValueKind == JsonValueKind.String
                && root.TryGetProperty(TraceParent, out var parent) && parent.ValueKind == JsonValueKind.String)
            {
                var state = root.TryGetProperty(TraceState, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                return (body.GetString()!, ActivityContext.TryParse(parent.GetString(), state, isRemote: true, out var context) ? context : null);
            }
        }
        catch (JsonException)
        {
            // Not an envelope: a body that happens to start with '{' (an accepted ask is JSON).
        }

        return (text, null);
    }
}

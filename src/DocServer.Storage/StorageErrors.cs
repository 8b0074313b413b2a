using System.Text.Json;
using Azure;

namespace DocServer.Storage;

/// <summary>
/// Turns an unexpected storage response into a <see cref="RequestFailedException"/> carrying the
/// status and the service's error code, with a message that says which operation on what failed.
/// </summary>
internal static class StorageErrors
{
    public static RequestFailedException Failed(Response response, string operation)
    {
        var code = response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : null;
        var detail = ReadMessage(response, ref code);
        var message = $"{operation} failed: {response.Status} {code ?? response.ReasonPhrase}{(detail is null ? string.Empty : $" - {detail}")}";
        return new RequestFailedException(response.Status, message, code, null);
    }

    private static string? ReadMessage(Response response, ref string? code)
    {
        var body = response.Content?.ToString();
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("odata.error", out var error))
            {
                code ??= error.TryGetProperty("code", out var c) ? c.GetString() : null;
                return error.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Blob and Queue errors are XML; fall through and show its first line.
        }

        var firstLines = body.Length > 300 ? body[..300] : body;
        return firstLines.ReplaceLineEndings(" ");
    }
}

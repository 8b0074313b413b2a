using System.Text;

namespace DocServer.Storage.Auth;

/// <summary>
/// The strings a SharedKey signature is computed over, as pure functions so they can be checked
/// against known vectors. The Table service signs a short form; Blob and Queue sign the long form
/// with canonicalized x-ms-* headers and every query parameter.
/// </summary>
public static class SharedKeyStringToSign
{
    /// <summary>Table service: VERB, Content-MD5, Content-Type, date (x-ms-date wins), resource (?comp only).</summary>
    public static string ForTable(SignableRequest request, string accountName)
    {
        ArgumentNullException.ThrowIfNull(request);
        var date = request.Header("x-ms-date") is { Length: > 0 } msDate ? msDate : request.Header("Date");
        var resource = new StringBuilder().Append('/').Append(accountName).Append(request.Uri.AbsolutePath);
        if (QueryParameters(request.Uri).TryGetValue("comp", out var comp))
        {
            resource.Append("?comp=").Append(string.Join(',', comp));
        }

        return string.Join('\n', request.Method.ToUpperInvariant(), request.Header("Content-MD5"), request.Header("Content-Type"), date, resource.ToString());
    }

    /// <summary>Blob and Queue services (version 2009-09-19 and later).</summary>
    public static string ForBlobOrQueue(SignableRequest request, string accountName)
    {
        ArgumentNullException.ThrowIfNull(request);
        var length = request.Header("Content-Length");
        var builder = new StringBuilder()
            .Append(request.Method.ToUpperInvariant()).Append('\n')
            .Append(request.Header("Content-Encoding")).Append('\n')
            .Append(request.Header("Content-Language")).Append('\n')
            .Append(length == "0" ? string.Empty : length).Append('\n')
            .Append(request.Header("Content-MD5")).Append('\n')
            .Append(request.Header("Content-Type")).Append('\n')
            // Date is left empty whenever x-ms-date is sent, which we always do.
            .Append(request.Header("x-ms-date").Length > 0 ? string.Empty : request.Header("Date")).Append('\n')
            .Append(request.Header("If-Modified-Since")).Append('\n')
            .Append(request.Header("If-Match")).Append('\n')
            .Append(request.Header("If-None-Match")).Append('\n')
            .Append(request.Header("If-Unmodified-Since")).Append('\n')
            .Append(request.Header("Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(request.Uri.AbsolutePath);
        foreach (var (name, values) in QueryParameters(request.Uri).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(name).Append(':').Append(string.Join(',', values.Order(StringComparer.Ordinal)));
        }

        return builder.ToString();
    }

    /// <summary>Query parameters with lower-cased, decoded names and decoded values, grouped by name.</summary>
    private static Dictionary<string, List<string>> QueryParameters(Uri uri)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var query = uri.Query.TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!result.TryGetValue(name, out var values))
            {
                result[name] = values = [];
            }

            values.Add(value);
        }

        return result;
    }
}

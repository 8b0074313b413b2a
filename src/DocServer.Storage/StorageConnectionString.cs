using DocServer.Storage.Auth;

namespace DocServer.Storage;

/// <summary>
/// Parses the connection strings people actually paste: <c>UseDevelopmentStorage=true</c>, the
/// account-key form with <c>EndpointSuffix</c>, and explicit <c>TableEndpoint</c>/<c>BlobEndpoint</c>/
/// <c>QueueEndpoint</c> (Azurite on other ports). Errors name the missing or bad part.
/// </summary>
public static class StorageConnectionString
{
    public static StorageAccount Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The storage connection string is empty.");
        }

        var parts = Split(connectionString);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            var host = parts.TryGetValue("DevelopmentStorageProxyUri", out var proxy) ? new Uri(proxy).Host : "127.0.0.1";
            parts.TryAdd("AccountName", StorageAccount.DevelopmentAccountName);
            parts.TryAdd("AccountKey", StorageAccount.DevelopmentAccountKey);
            parts.TryAdd("BlobEndpoint", $"http://{host}:10000/{StorageAccount.DevelopmentAccountName}");
            parts.TryAdd("QueueEndpoint", $"http://{host}:10001/{StorageAccount.DevelopmentAccountName}");
            parts.TryAdd("TableEndpoint", $"http://{host}:10002/{StorageAccount.DevelopmentAccountName}");
        }

        var name = Required(parts, "AccountName");
        var key = new SharedKeyCredential(name, Required(parts, "AccountKey"));
        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return new StorageAccount(
            name,
            Endpoint(parts, "TableEndpoint", protocol, name, "table", suffix),
            Endpoint(parts, "BlobEndpoint", protocol, name, "blob", suffix),
            Endpoint(parts, "QueueEndpoint", protocol, name, "queue", suffix),
            key,
            null);
    }

    private static Dictionary<string, string> Split(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Storage connection string segment '{Redact(segment)}' is not of the form Name=Value.");
            }

            // Keys are base64 and end in '='; only the first '=' separates name from value.
            parts[segment[..eq].Trim()] = segment[(eq + 1)..].Trim();
        }

        return parts;
    }

    private static string Required(Dictionary<string, string> parts, string name) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string has no {name}.");

    private static Uri Endpoint(Dictionary<string, string> parts, string name, string protocol, string account, string service, string suffix)
    {
        var text = parts.TryGetValue(name, out var explicitEndpoint) ? explicitEndpoint : $"{protocol}://{account}.{service}.{suffix}";
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"The storage connection string's {name} '{text}' is not an http(s) URL.");
        }

        return uri;
    }

    private static string Redact(string segment) =>
        segment.StartsWith("AccountKey", StringComparison.OrdinalIgnoreCase) ? "AccountKey=***" : segment;
}

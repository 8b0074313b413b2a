namespace DocServer.Storage.Auth;

/// <summary>The parts of an HTTP request that a SharedKey signature covers, independent of any HTTP stack.</summary>
public sealed record SignableRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
}

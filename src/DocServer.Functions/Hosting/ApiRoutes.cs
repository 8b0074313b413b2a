namespace DocServer.Functions.Hosting;

/// <summary>
/// Every HTTP route, written once: the [HttpTrigger] of each function (what the Functions host routes; the
/// host.json routePrefix is empty, so these are the paths callers use) and the standalone app's endpoints.
/// </summary>
internal static class ApiRoutes
{
    public const string Ask = "api/ask";
    public const string AskStream = "api/ask/stream";
    public const string AskResult = "api/ask/{id}";
    public const string Evidence = "api/evidence";
    public const string Documents = "api/documents";
    public const string Document = "api/documents/{id}";
    public const string GateStatus = "api/gate/status";
    public const string Digests = "api/digests";
    public const string LatestDigest = "api/digests/latest";
    public const string Digest = "api/digests/{id}";
    public const string Health = "api/health";
    public const string OpenApi = "api/openapi.json";

    /// <summary>The page and its files: everything no other route claims.</summary>
    public const string Page = "{*asset}";
}

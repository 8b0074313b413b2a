namespace DocServer.Functions.Page;

/// <summary>
/// The reviewed OpenAPI document shipped beside the app. Standalone generates it from the endpoints (a test holds
/// the two equal); under the Functions host there are no minimal-API endpoints to generate it from, so this is served.
/// </summary>
internal static class OpenApiFile
{
    public const string FileName = "openapi.json";

    public static IResult Serve() => TypedResults.PhysicalFile(Path.Combine(AppContext.BaseDirectory, FileName), "application/json; charset=utf-8");
}

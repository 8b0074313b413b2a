using System.Security.Cryptography;
using System.Text;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Standalone, the check the Functions host makes for authLevel "function": when a key is set, every /api call
/// must carry it (the <c>x-functions-key</c> header or <c>?code=</c>, as under the host, so the page's key box
/// works unchanged); the page and its files stay anonymous, as the Page function is. Keys are compared in
/// constant time, and a refusal is logged without the key.
/// </summary>
internal static class FunctionKeyCheck
{
    public const string Header = "x-functions-key";
    public const string Setting = Configuration.DocServerOptions.Section + ":" + nameof(Configuration.DocServerOptions.FunctionKey);

    public static IApplicationBuilder UseFunctionKey(this IApplicationBuilder app, string key)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || Matches(context.Request, expected))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var detail = $"This server needs its function key: send it as the {Header} header (or ?code=), as set in {Setting}.";
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionKeyCheck).FullName!);
            var path = context.Request.Path.Value ?? string.Empty;
            FunctionLog.ClientError(logger, context.Request.Method, path, StatusCodes.Status401Unauthorized, "missing or wrong function key");
            await TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Function key required").ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    private static bool Matches(HttpRequest request, byte[] expected)
    {
        var sent = request.Headers[Header].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        // Hashes of equal length, compared in constant time: neither the key's length nor its prefix leaks.
        return sent is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), expected);
    }
}

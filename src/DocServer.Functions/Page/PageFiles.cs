using Microsoft.Extensions.FileProviders;

namespace DocServer.Functions.Page;

/// <summary>
/// The page at / and its script and styles, from wwwroot beside the app (standalone, and under the Functions host
/// through the anonymous Page function). The page holds no data: every API call it makes carries the function key.
/// </summary>
internal static class PageFiles
{
    public static IApplicationBuilder UsePage(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Always revalidated: a new deployment's page never runs against an old script.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}

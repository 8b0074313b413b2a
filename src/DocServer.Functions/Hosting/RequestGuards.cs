using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>What runs before every handler, standalone and under the host: error answers, then the body limit.</summary>
internal static class RequestGuards
{
    public static IApplicationBuilder UseRequestGuards(this IApplicationBuilder app)
    {
        app.UseErrorResponses();
        app.Use(RejectOversizedBodies);
        return app;
    }

    /// <summary>
    /// 413 for a declared body over MaxRequestBytes, before anything reads it. Kestrel enforces the same
    /// limit on bodies without a length; this also covers servers that do not (the test server, the host's proxy).
    /// </summary>
    private static async Task RejectOversizedBodies(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<DocServerOptions>>().Value.MaxRequestBytes;
        if (context.Request.ContentLength > limit)
        {
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Too large",
                    Detail = $"The request body is {context.Request.ContentLength} bytes; the limit is {limit} (DocServer:MaxRequestBytes). Split the document.",
                },
            }).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}

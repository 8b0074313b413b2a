using System.Collections.Concurrent;
using DocServer.Functions.Page;
using Microsoft.AspNetCore.Routing.Patterns;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Runs an HTTP function's invocation through the very handler the standalone app maps to the same route:
/// its parameters bound as minimal APIs bind them (<see cref="RequestDelegateFactory"/>: body, route, query,
/// services), its typed result written to the response (a streamed ask streams), behind the same error
/// answers and body limit. So a [Function] method is one line, and the two ways of running cannot drift.
/// </summary>
internal sealed class HttpFunctionAdapter(IServiceProvider services)
{
    private readonly ConcurrentDictionary<string, RequestDelegate> pipelines = new(StringComparer.Ordinal);

    /// <summary>Answers the request with <paramref name="handler"/>; route values the host bound are passed in by name.</summary>
    public Task RunAsync(HttpRequest request, string function, string route, Delegate handler, params (string Name, string? Value)[] routeValues)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in routeValues)
        {
            request.RouteValues[name] = value;
        }

        return pipelines.GetOrAdd(function, _ => Build(route, handler))(request.HttpContext);
    }

    /// <summary>The page and its files, as standalone serves them at /.</summary>
    public Task ServePageAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return pipelines.GetOrAdd(FunctionNames.Page, _ => BuildPage())(request.HttpContext);
    }

    private RequestDelegate Build(string route, Delegate handler)
    {
        var endpoint = RequestDelegateFactory.Create(handler, new RequestDelegateFactoryOptions
        {
            ServiceProvider = services,
            RouteParameterNames = [.. RoutePatternFactory.Parse(route).Parameters.Select(p => p.Name)],
            // As standalone (RouteHandlerOptions.ThrowOnBadRequest): a bad body becomes a problem with its reason.
            ThrowOnBadRequest = true,
        });
        var app = new ApplicationBuilder(services);
        app.UseRequestGuards();
        app.Run(endpoint.RequestDelegate);
        return app.Build();
    }

    private RequestDelegate BuildPage()
    {
        var app = new ApplicationBuilder(services);
        app.UseRequestGuards();
        app.UsePage();
        return app.Build();
    }
}

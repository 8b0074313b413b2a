using System.Text.Json.Serialization;
using DocServer.Core.Answers;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Core.Telemetry;
using DocServer.Functions.Ask;
using DocServer.Functions.Configuration;
using DocServer.Functions.Digests;
using DocServer.Functions.Documents;
using DocServer.Functions.Evidence;
using DocServer.Functions.Extraction;
using DocServer.Functions.Gates;
using DocServer.Functions.Health;
using DocServer.Functions.Page;
using DocServer.Functions.Telemetry;
using DocServer.Llm.Health;
using DocServer.Storage.Documents;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Composition: options, storage, gates, models and the pipeline services, which both ways of running share
/// (<see cref="AddDocServer"/>); the standalone server's own parts (<see cref="AddStandalone"/>,
/// <see cref="MapDocServer"/>). Under the Functions host the [Function] methods are the surface instead.
/// </summary>
internal static class DocServerHost
{
    public const int StandalonePort = 7071;

    public static IHostApplicationBuilder AddDocServer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDocServerOptions();
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddDocServerStorage(builder.Configuration);
        services.AddDocServerModels();
        services.AddDocServerDurable(builder.Configuration);
        services.AddDocServerGates();
        services.AddDocServerPipeline();
        builder.AddDocServerTelemetry();
        services.AddErrorResponses();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        var maxBytes = builder.Configuration.GetValue<long?>($"{DocServerOptions.Section}:MaxRequestBytes") ?? new DocServerOptions().MaxRequestBytes;
        services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = maxBytes);
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = maxBytes);
        return builder;
    }

    /// <summary>
    /// Standalone: Kestrel on localhost:7071 unless told otherwise, the timers and queue listeners the host would
    /// run (its timers, and the task hub worker), the OpenAPI document, and the function key (required once the app listens beyond loopback).
    /// </summary>
    public static WebApplicationBuilder AddStandalone(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var addresses = ListenAddresses.Configured(builder.Configuration);
        if (addresses.Count == 0)
        {
            // localhost: loopback, so no key is needed.
            builder.WebHost.UseUrls($"http://localhost:{StandalonePort}");
        }

        var key = builder.Configuration[FunctionKeyCheck.Setting] is { Length: > 0 } k ? k : null;
        if (key is null && addresses.FirstOrDefault(a => !ListenAddresses.IsLoopback(a)) is { } open)
        {
            throw new OptionsValidationException(FunctionKeyCheck.Setting, typeof(string), [
                $"{FunctionKeyCheck.Setting}: the app listens beyond this machine ({open}), so every /api call must carry a key. " +
                $"Set {FunctionKeyCheck.Setting} (environment: {FunctionKeyCheck.Setting.Replace(":", "__", StringComparison.Ordinal)}) to a long random value and send it as the " +
                $"{FunctionKeyCheck.Header} header, or listen on localhost only."]);
        }

        builder.Services.AddSingleton(new StandaloneAccess(key));
        builder.Services.AddHostedService<TimerScheduler>();
        builder.Services.AddStandaloneTaskHubWorker();
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapDocServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var export = app.Services.GetRequiredService<TelemetryExport>().Describe();
        TelemetryLog.Exporting(app.Logger, export);
        app.UseRequestGuards();
        if (app.Services.GetRequiredService<StandaloneAccess>().Key is { } key)
        {
            app.UseFunctionKey(key);
        }

        app.UsePage();
        app.UseRouting();
        app.MapOpenApi("/" + ApiRoutes.OpenApi);
        app.MapAsk().MapEvidence().MapDocuments().MapGateStatus().MapDigests().MapHealth();
        return app;
    }

    /// <summary>True when this process runs its own timers and queue listener (standalone, unless DocServer:Standalone is false).</summary>
    public static bool IsStandalone(DocServerOptions options) => options?.Standalone ?? true;

}

using Azure.Monitor.OpenTelemetry.Exporter;
using DocServer.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DocServer.Functions.Telemetry;

/// <summary>
/// The OpenTelemetry pipeline: the pipeline's own spans and meter, ASP.NET Core (which takes the caller's
/// traceparent), HttpClient (the calls to the MLX hosts), the Azure SDK's spans (storage), and logs, so every
/// log line carries its trace id. Exporters by configuration (<see cref="TelemetryExport"/>); OTEL_SDK_DISABLED=true
/// turns the whole pipeline off (the benchmark's baseline).
/// </summary>
internal static class DocServerTelemetry
{
    public const string ServiceName = "docserver-functions";

    /// <summary>The Azure SDK publishes its spans on ActivitySources only when this switch is on.</summary>
    private const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    public static IHostApplicationBuilder AddDocServerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var export = TelemetryExport.From(builder.Configuration);
        builder.Services.AddSingleton(export);
        builder.Services.AddSingleton<PipelineMetrics>();
        builder.Services.AddSingleton<PipelineGauges>();
        builder.Services.AddHostedService<QueueBacklogSampler>();
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: typeof(DocServerTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(PipelineTelemetry.Name)
                // The storage clients' operation spans (TableClient.Query); not Azure.Core.Http's span under each,
                // which would double the spans of every storage call for the same request and status.
                .AddSource("Azure.Data.Tables.*", "Azure.Storage.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = IsTraced)
                // The Azure SDK's own HTTP span already covers its requests: no second span from HttpClient for them.
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = _ => System.Diagnostics.Activity.Current?.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) != true))
            .WithMetrics(metrics => metrics
                .AddMeter(PipelineTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging(logging => { }, options =>
            {
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = false;
            });

        AddExporters(telemetry, export);

        // Last, because the Azure Monitor exporter sets a sampler of its own (rate-limited), which would keep the
        // background loops' traces and drop an ask's when they come in a burst. A caller's (or the Functions host's)
        // "not sampled" flag is not followed: an ask is rare and worth its trace, which still joins the caller's
        // trace id. Within the app, a child follows its parent.
        telemetry.WithTracing(t => t.SetSampler(new ParentBasedSampler(
            new BackgroundNoiseSampler(),
            remoteParentSampled: new AlwaysOnSampler(),
            remoteParentNotSampled: new AlwaysOnSampler(),
            localParentSampled: new AlwaysOnSampler(),
            localParentNotSampled: new AlwaysOffSampler())));

        return builder;
    }

    /// <summary>Where the telemetry goes, by the settings Azure and OpenTelemetry define (<see cref="TelemetryExport"/>).</summary>
    private static void AddExporters(OpenTelemetryBuilder telemetry, TelemetryExport export)
    {
        if (export.AzureMonitorConnectionString is { } connection)
        {
            telemetry
                .WithTracing(t => t.AddAzureMonitorTraceExporter(o =>
                {
                    o.ConnectionString = connection;
                    // Since 1.6 the exporter samples 5 traces a second by default; our sampler decides instead (AddDocServerTelemetry).
                    o.SamplingRatio = 1.0f;
                    o.TracesPerSecond = null;
                }))
                .WithMetrics(m => m.AddAzureMonitorMetricExporter(o => o.ConnectionString = connection))
                .WithLogging(l => l.AddAzureMonitorLogExporter(o => o.ConnectionString = connection));
        }

        if (export.ToOtlp)
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself, as every OpenTelemetry SDK does.
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>
    /// Under the Functions host: the worker's spans for each invocation, children of the host's (host.json
    /// telemetryMode OpenTelemetry), so a trace continues from the host into our pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsWorkerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        return builder;
    }

    /// <summary>The page's files and health polls would drown the asks: only the API's work and the host's invocations are traced.</summary>
    private static bool IsTraced(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !context.Request.Path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase)
        || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && context.Request.Method == HttpMethods.Post;
}

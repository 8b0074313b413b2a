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
using DocServer.Storage.Entities;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>Composition: options, storage, gates, models, the pipeline services, and the HTTP surface.</summary>
internal static class DocServerHost
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const int StandalonePort = 7071;

    public static WebApplicationBuilder AddDocServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        HostJson.AddTo(builder.Configuration, AppContext.BaseDirectory);
        services.AddOptions<DocServerOptions>()
            .Bind(builder.Configuration.GetSection(DocServerOptions.Section))
            .PostConfigure(o => FlatSettings.Apply(o, builder.Configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocServerOptions>, DocServerOptionsValidator>();
        services.AddOptions<FunctionsHostOptions>().Bind(builder.Configuration.GetSection(HostJson.Section)).ValidateOnStart();
        services.AddOptions<QueueTriggerOptions>().Bind(builder.Configuration.GetSection(QueueTriggerOptions.Section)).ValidateOnStart();
        services.AddSingleton<FunctionsHostOptionsValidator>();
        services.AddSingleton<IValidateOptions<FunctionsHostOptions>>(sp => sp.GetRequiredService<FunctionsHostOptionsValidator>());
        services.AddSingleton<IValidateOptions<QueueTriggerOptions>>(sp => sp.GetRequiredService<FunctionsHostOptionsValidator>());
        services.AddSingleton(TimeProvider.System);
        // The Azure SDKs' own logs reach ILogger (category "Azure.*", Warning and up by appsettings.json; Azure.Core's
        // per-response line only at Error: a 412 is how our compare-and-swap loses a race, and outages we log ourselves), and
        // credentials come from AzureWebJobsStorage__credential / __clientId, as the Functions host reads them.
        services.AddAzureClientsCore();
        services.AddSingleton(sp => new StorageResources(
            StorageAccountSettings.From(builder.Configuration, sp.GetRequiredService<AzureComponentFactory>()),
            Options(sp),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().Documents);
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().IndexSnapshots);
        services.AddSingleton(sp => new Prompts(Options(sp)));
        services.AddSingleton(sp => new EndpointHealth(Options(sp).Endpoints.Keys, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EndpointHealth>>()));
        services.AddSingleton(sp => new LanguageModels(Options(sp), sp.GetRequiredService<EndpointHealth>()));
        services.AddSingleton(sp => Catalog(Options(sp)));
        services.AddSingleton(sp => new GateClient(
            new EntityStore(sp.GetRequiredService<StorageResources>().Gates, sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<GateCatalog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GateClient>>(),
            new GateClientOptions { Owner = Owner() },
            sp.GetRequiredService<EndpointHealth>(),
            sp.GetRequiredService<PipelineMetrics>()));
        services.AddSingleton(sp => new EvidenceExtractor(
            sp.GetRequiredService<GateClient>(),
            sp.GetRequiredService<LanguageModels>().Pool(Options(sp).AskPool, Options(sp).AskOverflowEndpoint),
            sp.GetRequiredService<Prompts>().Evidence,
            new EvidenceOptions
            {
                LlmTimeout = Options(sp).EvidenceTimeout,
                FirstTokenTimeout = Options(sp).EvidenceFirstTokenTimeout,
                IdleTimeout = Options(sp).EvidenceIdleTimeout,
                GateWaitBudget = Options(sp).AskWaitBudget,
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EvidenceExtractor>>()));
        services.AddSingleton(sp => new AnswerSynthesizer(
            sp.GetRequiredService<GateClient>(),
            sp.GetRequiredService<LanguageModels>().Pool(Options(sp).AskPool, Options(sp).AskOverflowEndpoint),
            sp.GetRequiredService<Prompts>().Synthesis,
            new SynthesisOptions
            {
                LlmTimeout = Options(sp).SynthesisTimeout,
                FirstTokenTimeout = Options(sp).SynthesisFirstTokenTimeout,
                IdleTimeout = Options(sp).SynthesisIdleTimeout,
                GateWaitBudget = Options(sp).AskWaitBudget,
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AnswerSynthesizer>>()));
        services.AddSingleton<DocumentIndex>();
        services.AddSingleton<DocumentIngestion>();
        services.AddSingleton<AskService>();
        services.AddSingleton<AskJobs>();
        services.AddSingleton<DocumentExtraction>();
        services.AddSingleton<DigestService>();
        services.AddSingleton<FunctionInvoker>();
        services.AddHostedService<StartupTasks>();
        services.AddHostedService<IndexLoader>();
        services.AddHostedService<TimerScheduler>();
        // One listener per queue; AddSingleton, because AddHostedService keeps only one service of a type.
        services.AddSingleton<IHostedService>(sp => Listener(sp, "Extract", sp.GetRequiredService<StorageResources>().Extract, sp.GetRequiredService<StorageResources>().ExtractPoison));
        services.AddSingleton<IHostedService>(sp => Listener(sp, "AskJob", sp.GetRequiredService<StorageResources>().AskQueue, sp.GetRequiredService<StorageResources>().AskPoison));
        services.AddHostedService<EndpointProber>();
        builder.AddDocServerTelemetry();
        services.AddErrorResponses();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        var maxBytes = builder.Configuration.GetValue<long?>($"{DocServerOptions.Section}:MaxRequestBytes") ?? new DocServerOptions().MaxRequestBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBytes);
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = maxBytes);
        if (Environment.GetEnvironmentVariable(CustomHandlerPortVariable) is { Length: > 0 } port)
        {
            // Under the Functions host: it tells us the port and forwards requests to it.
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://localhost:{StandalonePort}");
        }

        return builder;
    }

    public static WebApplication MapDocServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var export = app.Services.GetRequiredService<TelemetryExport>().Describe();
        TelemetryLog.Exporting(app.Logger, export);
        app.UseErrorResponses();
        app.Use(RejectOversizedBodies);
        app.MapPage();
        app.MapOpenApi("/api/openapi.json");
        var api = app.MapGroup("/api");
        api.MapAsk().MapEvidence().MapDocuments().MapGateStatus().MapDigests().MapHealth();
        app.MapFunctionInvocations();
        return app;
    }

    /// <summary>
    /// 413 for a declared body over MaxRequestBytes, before anything reads it. Kestrel enforces the same
    /// limit on bodies without a length; this also covers servers that do not (the test server).
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

    /// <summary>True when this process runs its own timers and queue listener (not under the Functions host).</summary>
    public static bool IsStandalone(DocServerOptions options) =>
        options?.Standalone ?? string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CustomHandlerPortVariable));

    private static QueueListener Listener(IServiceProvider services, string function, Storage.Queues.QueuedWork queue, Storage.Queues.QueuedWork poison) => new(
        function,
        queue,
        poison,
        services.GetRequiredService<FunctionInvoker>(),
        services.GetRequiredService<IOptions<DocServerOptions>>(),
        services.GetRequiredService<IOptions<QueueTriggerOptions>>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<QueueListener>>());

    private static DocServerOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<DocServerOptions>>().Value;

    private static GateCatalog Catalog(DocServerOptions options) => new(
        options.Endpoints.Where(e => e.Value.Gated).ToDictionary(
            e => e.Key,
            e => new GatePolicy { Capacity = e.Value.Capacity, LeaseTtl = e.Value.LeaseTtl, WaiterTtl = e.Value.WaiterTtl, AgingAfter = e.Value.AgingAfter }),
        options.Endpoints.Where(e => !e.Value.Gated).Select(e => e.Key));

    private static string Owner()
    {
        var name = $"{Environment.MachineName}-{Environment.ProcessId}";
        return name.Length > GateMachine.MaxOwnerLength ? name[^GateMachine.MaxOwnerLength..] : name;
    }
}

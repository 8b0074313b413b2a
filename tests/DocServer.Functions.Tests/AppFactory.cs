using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DocServer.Functions.Tests;

/// <summary>
/// The app in-process (WebApplicationFactory), on the shared Azurite with its own storage prefix (no
/// test sees another's documents), talking to its own scripted single-inference MLX server.
/// Background timers and activities are off unless a test turns them on (DocServer:Standalone; the task hub worker
/// runs the gate entities and the orchestrations either way), and then background work has a gate of its own.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private AppFactory(ScriptedMlxServer mlx, AzuriteServer azurite, Dictionary<string, string?> overrides, Action<IServiceCollection>? services)
    {
        _services = services;
        Mlx = mlx;
        Prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        _settings = AppSettings.AsConfiguration(AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, Prefix));
        foreach (var call in new[] { "Evidence", "Synthesis", "Summary" })
        {
            _settings[$"DocServer:{call}Timeout"] = "00:00:05";
            _settings[$"DocServer:{call}FirstTokenTimeout"] = "00:00:05";
        }

        _settings["DocServer:ProbeInterval"] = "00:00:00.500";
        _settings["DocServer:DigestCutoffLag"] = "00:00:00";
        _settings["DocServer:IndexRefreshInterval"] = "00:00:00.200";
        if (overrides.GetValueOrDefault("DocServer:Standalone") != "true")
        {
            // This process runs no activities, so an ingest's extraction orchestration would take a turn at the asks'
            // gate that nothing claims (for OrchestrationGate.ClaimWindow): background work gets a gate of its own.
            _settings["DocServer:Endpoints:background:Url"] = mlx.BaseUrl.ToString();
            _settings["DocServer:Endpoints:background:Model"] = "gemma-test";
            _settings["DocServer:BackgroundEndpoints"] = "background";
        }

        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    public ScriptedMlxServer Mlx { get; }

    public string Prefix { get; }

    /// <summary>Starts the app; <paramref name="services"/> adds to its services (the telemetry tests' in-memory exporters).</summary>
    public static async Task<AppFactory> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var factory = new AppFactory(await ScriptedMlxServer.StartAsync(), await AzuriteServer.GetAsync(), settings ?? [], services);
        _ = factory.Server; // start the host now: storage is created, the index loads in the background
        var index = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DocServer.Functions.Documents.DocumentIndex>(factory.Services);
        var worker = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DocServer.Durable.TaskHub.TaskHubWorkerHost>(factory.Services);
        for (var i = 0; i < 1000 && !(index.IsReady && worker.IsStarted); i++)
        {
            await Task.Delay(10);
        }

        return factory;
    }

    /// <summary>A function class as the isolated worker makes it (constructor injection from the app's services).</summary>
    internal T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Waits until an orchestration instance is done (completed, failed or terminated) and answers it.</summary>
    internal async Task<DocServer.Durable.DurableInstance> WaitForInstanceAsync(string instanceId, TimeSpan within)
    {
        var durable = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DocServer.Durable.IDurableWork>(Services);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instance = await durable.GetInstanceAsync(instanceId, CancellationToken.None);
            if (instance is { HasEnded: true })
            {
                return instance;
            }

            Assert.True(clock.Elapsed < within, $"instance {instanceId} not done within {within.TotalSeconds} s: {instance?.Status.ToString() ?? "no such instance"} {instance?.CustomStatus}");
            await Task.Delay(100);
        }
    }

    /// <summary>Answers like a well-behaved model: evidence JSON for evidence prompts, a cited answer for synthesis, a summary otherwise.</summary>
    public void ModelAnswersSensibly(TimeSpan? latency = null) => Mlx.ReplyWith(prompt => MlxReply.Text(SensibleReply(prompt), latency));

    public static string SensibleReply(string prompt) => SensibleModel.Reply(prompt);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (await response.Content.ReadFromJsonAsync<T>(JsonOptions))!;
    }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Mlx.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is { } services)
        {
            builder.ConfigureServices(services);
        }
    }
}

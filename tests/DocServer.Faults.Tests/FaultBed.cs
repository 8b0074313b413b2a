using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Storage;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>
/// Real app processes on one storage, reaching the scripted single-inference MLX server through a tunnel
/// that a test can cut or black-hole, with short deadlines so a fault shows in seconds.
/// </summary>
internal sealed class FaultBed : IAsyncDisposable
{
    private readonly List<AppProcess> _apps = [];
    private readonly AzuriteProcess? _ownStorage;

    private FaultBed(ScriptedMlxServer mlx, FaultyTunnel tunnel, string storage, string prefix, AzuriteProcess? ownStorage)
    {
        Mlx = mlx;
        Tunnel = tunnel;
        Storage = storage;
        Prefix = prefix;
        _ownStorage = ownStorage;
    }

    public ScriptedMlxServer Mlx { get; }

    public FaultyTunnel Tunnel { get; }

    public string Storage { get; }

    public string Prefix { get; }

    public IReadOnlyList<AppProcess> Apps => _apps;

    /// <summary>The bed's own in-memory Azurite, for a test that stops or freezes storage; none when the test gave its storage.</summary>
    public AzuriteProcess Azurite => _ownStorage ?? throw new InvalidOperationException("This bed runs on the storage its test gave it.");

    /// <summary>
    /// A bed on <paramref name="storage"/>, or on an Azurite of its own (in memory) when none is given. Not the run's
    /// shared Azurite: one Azurite is one Node thread, and the fault tests run side by side, each with up to three apps
    /// polling their task hub. On the shared one, every test's storage waited behind every other test's apps, and CI
    /// saw 2 s storage timeouts (lease renewals lost, entity reads given up) that no test meant to cause.
    /// </summary>
    public static async Task<FaultBed> StartAsync(string? storage = null)
    {
        var ownStorage = storage is null ? await AzuriteProcess.StartAsync(inMemory: true) : null;
        var mlx = await ScriptedMlxServer.StartAsync();
        mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt)));
        return new FaultBed(mlx, FaultyTunnel.Start(mlx.BaseUrl), storage ?? ownStorage!.ConnectionString, "f" + Guid.NewGuid().ToString("N")[..12], ownStorage);
    }

    /// <summary>Every model call's first-token deadline in the fault tests' apps.</summary>
    public static readonly TimeSpan FirstTokenTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Settings that put background work (extraction, digests) on a host of its own: for a test of asks alone in a
    /// process that runs no activities, whose extraction orchestrations would otherwise take a turn at the asks'
    /// gate that no activity claims (it is given back after <c>OrchestrationGate.ClaimWindow</c>).
    /// </summary>
    public Dictionary<string, string> BackgroundOnItsOwnHost(Dictionary<string, string>? overrides = null)
    {
        var settings = overrides ?? [];
        settings["DocServer__Endpoints__background__Url"] = Tunnel.BaseUrl.ToString();
        settings["DocServer__Endpoints__background__Model"] = "gemma-test";
        settings["DocServer__BackgroundEndpoints"] = "background";
        return settings;
    }

    /// <summary>Starts one more app instance; <paramref name="overrides"/> are environment-style settings.</summary>
    public async Task<HttpClient> StartAppAsync(Dictionary<string, string>? overrides = null, bool standalone = true, TimeSpan? clientTimeout = null)
    {
        var settings = AppSettings.For(Storage, Tunnel.BaseUrl, Prefix);
        settings["DocServer__Standalone"] = standalone ? "true" : "false";
        settings["DocServer__ProbeInterval"] = "00:00:01";
        settings["DocServer__IndexRefreshInterval"] = "00:00:00.500";
        foreach (var call in new[] { "Evidence", "Synthesis", "Summary" })
        {
            settings[$"DocServer__{call}FirstTokenTimeout"] = FirstTokenTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            settings[$"DocServer__{call}IdleTimeout"] = "00:00:02";
            settings[$"DocServer__{call}Timeout"] = "00:01:00";
        }

        settings["DocServer__AskWaitBudget"] = "00:00:05";
        settings["DocServer__BackgroundWaitBudget"] = "00:00:20";
        foreach (var (name, value) in overrides ?? [])
        {
            settings[name] = value;
        }

        var app = AppProcess.Start(settings, AppProcess.AnyPort);
        _apps.Add(app);
        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        return new HttpClient { BaseAddress = new Uri(app.Url!), Timeout = clientTimeout ?? TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// Every ExtractDocument instance on the apps' task hub (instance ids are {document}@{version}), once each has ended,
    /// or as they are after 30 s. A summary is saved inside its activity, so its orchestration ends a few queue hops
    /// after the summary can be read (more when the partition has just moved to another process).
    /// </summary>
    public async Task<List<Durable.DurableInstance>> ExtractionsAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var instances = await ReadExtractionsAsync();
            if (instances.All(i => i.HasEnded) || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return instances;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>What a failed wait for summaries prints: the documents, their extractions' state, and the gate as the app sees it.</summary>
    public async Task<string> WhyNotSummarisedAsync(HttpClient app, IReadOnlyCollection<string> missing)
    {
        var extractions = await ReadExtractionsAsync();
        var lines = extractions.Where(e => missing.Any(id => e.InstanceId.StartsWith(id + "@", StringComparison.Ordinal)))
            .Select(e => $"  {e.InstanceId}: {e.Status} (updated {e.LastUpdatedAt:HH:mm:ss.fff}) status={e.CustomStatus ?? "-"} failure={e.Failure ?? "-"}");
        using var gate = await app.GetAsync("/api/gate/status");
        return $"no summary for {string.Join(", ", missing)} at {DateTimeOffset.UtcNow:HH:mm:ss.fff} (task hub {Prefix}); their extractions:\n{string.Join("\n", lines)}\n"
            + $"gate: {await gate.Content.ReadAsStringAsync()}\n{WhatTheAppsSaw()}";
    }

    /// <summary>Per app process, how often it logged what slows or skips a summary: CI's excerpt of the logs is short.</summary>
    private string WhatTheAppsSaw()
    {
        string[] signs = ["not scheduled", "schedule try", "scheduled by the catch-up", "reason=gate_unavailable", "lease expired", "could not be claimed", "did not answer", "storage unreachable"];
        return string.Join("\n", _apps.Select((app, i) =>
        {
            var lines = app.Output.Split('\n');
            return $"app {i}: " + string.Join(", ", signs.Select(sign => $"{lines.Count(l => l.Contains(sign, StringComparison.Ordinal))}x '{sign}'"));
        }));
    }

    private async Task<List<Durable.DurableInstance>> ReadExtractionsAsync()
    {
        using var hub = new Durable.TaskHub.TaskHubService(StorageAccount.FromConnectionString(Storage), new Durable.TaskHub.TaskHubOptions { HubName = Prefix }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var durable = new Durable.TaskHub.TaskHubDurableWork(hub);
        var instances = new List<Durable.DurableInstance>();
        foreach (var document in await Documents().ListAsync(CancellationToken.None))
        {
            if (await durable.GetInstanceAsync($"{document.Id}@{document.Version}", CancellationToken.None) is { } instance)
            {
                instances.Add(instance);
            }
        }

        return instances;
    }

    /// <summary>The apps' document store, for a test that writes or trims behind their backs.</summary>
    public DocumentStore Documents() => new(Clients(), Prefix, TimeProvider.System);

    private StorageClients Clients() =>
        new(StorageAccount.FromConnectionString(Storage), new StorageRetry(TimeSpan.FromSeconds(5), 1, TimeSpan.FromMilliseconds(50)));

    public static async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan Took)> AskAsync(HttpClient client, string question)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/api/ask", new { question });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone(), watch.Elapsed);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; fails naming <paramref name="what"/> after <paramref name="timeout"/> (10 s).</summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(condition, what, timeout ?? TimeSpan.FromSeconds(10));

    public static async Task<HttpStatusCode> IngestAsync(HttpClient client, string id, string content) => (await PostDocumentAsync(client, id, content)).Status;

    /// <summary>An ingest's status and, for an assertion's message, its body (a problem's detail).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> PostDocumentAsync(HttpClient client, string id, string content)
    {
        var (status, body, _) = await SendDocumentAsync(client, id, content);
        return (status, body);
    }

    /// <summary>
    /// An ingest as a well-behaved client sends it: a 503 (storage did not answer in time; the document is stored
    /// whole or not at all) is sent again after its Retry-After, up to four more times. For a test about something else on a machine busy enough
    /// to starve storage now and then.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Body)> PostDocumentRetryingAsync(HttpClient client, string id, string content)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (status, body, retryAfter) = await SendDocumentAsync(client, id, content);
            if (status != HttpStatusCode.ServiceUnavailable || retryAfter is not { } after || attempt == 5)
            {
                return (status, body);
            }

            await Task.Delay(after);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)> SendDocumentAsync(HttpClient client, string id, string content)
    {
        using var response = await client.PostAsJsonAsync("/api/documents", new { id, title = id, content, contentType = "text" });
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Waits until every document has its summary; returns those still without one.</summary>
    public static async Task<List<string>> WaitForSummariesAsync(HttpClient client, IEnumerable<string> ids, TimeSpan timeout)
    {
        var missing = ids.ToList();
        var watch = Stopwatch.StartNew();
        while (missing.Count > 0 && watch.Elapsed < timeout)
        {
            var done = new List<string>();
            foreach (var id in missing)
            {
                using var response = await client.GetAsync($"/api/documents/{id}");
                if (response.IsSuccessStatusCode && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("summary").ValueKind == JsonValueKind.String)
                {
                    done.Add(id);
                }
            }

            missing.RemoveAll(done.Contains);
            await Task.Delay(250);
        }

        return missing;
    }

    public async ValueTask DisposeAsync()
    {
        // test.sh names a folder for the apps' consoles, and prints their errors when a run fails.
        var logs = Environment.GetEnvironmentVariable("DOCSERVER_APP_LOGS");
        for (var i = 0; i < _apps.Count; i++)
        {
            // An app that stopped without being told to (a crash, a host stopped by an escaped exception): its log says
            // so on its first line, and test.sh prints the end of it.
            var crashed = _apps[i].ExitedOnItsOwn;
            var output = crashed ? $"EXITED ON ITS OWN with code {_apps[i].ExitCode}\n{_apps[i].Output}" : _apps[i].Output;
            _apps[i].Dispose();
            if (!string.IsNullOrEmpty(logs))
            {
                Directory.CreateDirectory(logs);
                await File.WriteAllTextAsync(Path.Combine(logs, $"{Prefix}-{i}.log"), output);
            }
        }

        await Tunnel.DisposeAsync();
        await Mlx.DisposeAsync();
        _ownStorage?.Dispose();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Testing;

namespace DocServer.Benchmarks;

/// <summary>
/// Issue #9 with real processes: three app instances on one Azurite, scripted single-inference hosts answering in
/// 300 ms. A burst of asks with each call served by its own arrival (PerCall) and by its ask's (PerAsk), side by
/// side; one host against a pool of two; a pool that loses a host mid-burst. Prints completion times, their
/// ratios, what the hosts did (violations, utilisation, the gap between one call and the next).
/// </summary>
internal static class ScheduleBenchmark
{
    private const int Instances = 3;
    private static readonly TimeSpan Service = TimeSpan.FromMilliseconds(300);

    /// <summary>A model call of the length the gate's utilisation target is set for.</summary>
    private static readonly TimeSpan SlowService = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync()
    {
        var azurite = await AzuriteServer.GetAsync().ConfigureAwait(false);
        var perCall = await BurstAsync(azurite.ConnectionString, "PerCall", hosts: 1, asks: 23).ConfigureAwait(false);
        var perAsk = await BurstAsync(azurite.ConnectionString, "PerAsk", hosts: 1, asks: 23).ConfigureAwait(false);
        var one = await BurstAsync(azurite.ConnectionString, "PerAsk", hosts: 1, asks: 40).ConfigureAwait(false);
        var two = await BurstAsync(azurite.ConnectionString, "PerAsk", hosts: 2, asks: 40).ConfigureAwait(false);
        var killed = await BurstAsync(azurite.ConnectionString, "PerAsk", hosts: 2, asks: 40, killSecondAfterCalls: 12).ConfigureAwait(false);
        var slow = await BurstAsync(azurite.ConnectionString, "PerAsk", hosts: 1, asks: 23, service: SlowService).ConfigureAwait(false);

        Console.WriteLine($"{Instances} app processes on Azurite, scripted hosts answering each call in {Service.TotalMilliseconds:F0} ms; times from the burst's start");
        Table.Print(["measure", "target", "PerCall", "PerAsk", "ratio"],
        [
            ["23 asks, one host: mean completion (ms)", "<= 0.75x", F(perCall.Mean), F(perAsk.Mean), R(perAsk.Mean, perCall.Mean)],
            ["23 asks, one host: p50 completion (ms)", "", F(perCall.P50), F(perAsk.P50), R(perAsk.P50, perCall.P50)],
            ["23 asks, one host: first answer (ms)", "", F(perCall.First), F(perAsk.First), R(perAsk.First, perCall.First)],
            ["23 asks, one host: last answer (ms)", "", F(perCall.Last), F(perAsk.Last), R(perAsk.Last, perCall.Last)],
            ["host gap between calls p50 / p95 (ms)", "", Gap(perCall), Gap(perAsk), ""],
            ["host utilisation during the burst", ">= 97 %", Pct(perCall.Utilisation[0]), Pct(perAsk.Utilisation[0]), ""],
            [$"host utilisation, {SlowService.TotalSeconds:F0} s calls (23 asks, PerAsk)", ">= 97 %", "", Pct(slow.Utilisation[0]), ""],
            [$"host gap between calls p50 / p95, {SlowService.TotalSeconds:F0} s calls (ms)", "", "", Gap(slow), ""],
            ["single-inference violations", "0", perCall.Violations, perAsk.Violations, ""],
            ["extractive answers (fell back)", "0", F(perCall.Extractive), F(perAsk.Extractive), ""],
        ]);
        Console.WriteLine();
        Table.Print(["measure", "target", "one host", "pool of two", "ratio"],
        [
            ["40 asks: burst time (ms)", "<= 0.6x", F(one.Last), F(two.Last), R(two.Last, one.Last)],
            ["40 asks: mean completion (ms)", "", F(one.Mean), F(two.Mean), R(two.Mean, one.Mean)],
            ["calls per host", "both busy", string.Join(" / ", one.CallsPerHost), string.Join(" / ", two.CallsPerHost), ""],
            ["host utilisation during the burst", "", string.Join(" / ", one.Utilisation.Select(Pct)), string.Join(" / ", two.Utilisation.Select(Pct)), ""],
            ["single-inference violations per host", "0", one.Violations, two.Violations, ""],
            ["extractive answers (fell back)", "0", F(one.Extractive), F(two.Extractive), ""],
        ]);
        Console.WriteLine();
        Table.Print(["pool of two, the second host killed after 12 calls, 40 asks", "value"],
        [
            ["calls per host (macmini / macstudio)", string.Join(" / ", killed.CallsPerHost)],
            ["asks whose synthesis macmini / macstudio answered", $"{killed.SynthesisBy.GetValueOrDefault("macmini")} / {killed.SynthesisBy.GetValueOrDefault("macstudio")}"],
            ["extractive answers (fell back)", F(killed.Extractive)],
            ["burst time (ms)", F(killed.Last)],
            ["single-inference violations per host", killed.Violations],
        ]);
        return 0;
    }

    private static async Task<Burst> BurstAsync(string storage, string order, int hosts, int asks, int? killSecondAfterCalls = null, TimeSpan? service = null)
    {
        var calls = service ?? Service;
        await Console.Error.WriteLineAsync($"burst: {asks} asks, {order}, {hosts} host(s), {calls.TotalMilliseconds:F0} ms calls{(killSecondAfterCalls is null ? "" : ", one killed")} ...").ConfigureAwait(false);
        var servers = new List<ScriptedMlxServer>();
        for (var i = 0; i < hosts; i++)
        {
            var server = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
            server.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), calls));
            servers.Add(server);
        }

        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        var apps = new List<(AppProcess Process, HttpClient Http)>();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Instances).Select(async _ =>
            {
                var settings = AppSettings.For(storage, servers[0].BaseUrl, prefix);
                settings["DocServer__AskOrder"] = order;
                settings["DocServer__AskWaitBudget"] = "00:05:00";
                if (hosts == 2)
                {
                    settings["DocServer__Endpoints__macstudio__Url"] = servers[1].BaseUrl.ToString();
                    settings["DocServer__Endpoints__macstudio__Model"] = "gemma-test";
                    settings["DocServer__AskEndpoints"] = "macmini,macstudio";
                }

                var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
                var process = AppProcess.Start(settings, url);
                await process.WaitUntilUpAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                lock (apps)
                {
                    apps.Add((process, new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) }));
                }
            })).ConfigureAwait(false);

            using (var ingest = await apps[0].Http.PostAsJsonAsync("/api/documents", new { id = "lease", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }).ConfigureAwait(false))
            {
                ingest.EnsureSuccessStatusCode();
            }

            // Every instance sees the document and has run an ask before the burst (index loaded, code warm).
            foreach (var (_, http) in apps)
            {
                while ((await AskAsync(http).ConfigureAwait(false)).GetProperty("evidence").GetArrayLength() == 0)
                {
                    await Task.Delay(200).ConfigureAwait(false);
                }
            }

            var before = servers.Select(s => s.Calls.Count).ToList();
            var clock = Stopwatch.StartNew();
            var killer = killSecondAfterCalls is { } after ? KillAsync(servers[1], before[1] + after) : Task.CompletedTask;
            var done = await Task.WhenAll(Enumerable.Range(0, asks).Select(async i =>
            {
                var answer = await AskAsync(apps[i % Instances].Http).ConfigureAwait(false);
                return (Ms: clock.Elapsed.TotalMilliseconds, Answer: answer);
            })).ConfigureAwait(false);
            await killer.ConfigureAwait(false);

            var times = done.Select(d => d.Ms).ToList();
            var burstCalls = servers.Select((s, i) => s.Calls.Skip(before[i]).OrderBy(c => c.Start).ToList()).ToList();
            return new Burst(
                times.Average(),
                Percentiles.Of(times, 50),
                times.Min(),
                times.Max(),
                done.Count(d => d.Answer.GetProperty("extractive").GetBoolean()),
                [.. burstCalls.Select(c => c.Count)],
                [.. burstCalls.Select(Utilisation)],
                [.. burstCalls.SelectMany(Gaps)],
                string.Join(" / ", servers.Select(s => s.Violations)),
                done.GroupBy(d => d.Answer.GetProperty("endpoints").GetProperty("synthesis").GetString() ?? "none").ToDictionary(g => g.Key, g => g.Count()));
        }
        finally
        {
            foreach (var (process, http) in apps)
            {
                http.Dispose();
                process.Dispose();
            }

            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task KillAsync(ScriptedMlxServer server, int afterCalls)
    {
        while (server.Calls.Count < afterCalls)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        await server.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<JsonElement> AskAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion }).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        return json.RootElement.Clone();
    }

    /// <summary>Busy time over the span from the first call's start to the last call's end.</summary>
    private static double Utilisation(List<(long Start, long End)> calls) =>
        calls.Count == 0 ? 0 : calls.Sum(c => Stopwatch.GetElapsedTime(c.Start, c.End).TotalMilliseconds) / Stopwatch.GetElapsedTime(calls[0].Start, calls.Max(c => c.End)).TotalMilliseconds;

    private static IEnumerable<double> Gaps(List<(long Start, long End)> calls) =>
        calls.Zip(calls.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a.End, b.Start).TotalMilliseconds);

    private static string Gap(Burst burst) =>
        burst.Gaps.Count == 0 ? "n/a" : $"{Percentiles.Of(burst.Gaps, 50):F1} / {Percentiles.Of(burst.Gaps, 95):F1}";

    private static string F(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Pct(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string R(double value, double baseline) => (value / baseline).ToString("F2", CultureInfo.InvariantCulture) + "x";

    private sealed record Burst(
        double Mean, double P50, double First, double Last, int Extractive, int[] CallsPerHost, double[] Utilisation, List<double> Gaps, string Violations, Dictionary<string, int> SynthesisBy);
}

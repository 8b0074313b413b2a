using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DocServer.Testing;

namespace DocServer.Benchmarks;

/// <summary>
/// Faults on a schedule under a steady mix of work: two app processes on one Azurite (its own, so it can be
/// stopped), the scripted single-inference server behind a tunnel, asks from two clients, an ingest every
/// two seconds, a digest every 20 s; the tunnel refuses for 10 s, then storage goes away for 8 s.
/// Prints what users got (asks, 5xx, latency) and what the Mac did (violations, utilisation, handoff gap).
/// </summary>
internal static class SoakBenchmark
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ModelLatency = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync()
    {
        using var azurite = await AzuriteProcess.StartAsync().ConfigureAwait(false);
        await using var mlx = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
        mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), ModelLatency));
        await using var tunnel = FaultyTunnel.Start(mlx.BaseUrl);
        var prefix = "soak" + Guid.NewGuid().ToString("N")[..8];
        var apps = new List<(AppProcess Process, HttpClient Http)>();
        foreach (var standalone in new[] { true, false })
        {
            var settings = AppSettings.For(azurite.ConnectionString, tunnel.BaseUrl, prefix);
            settings["DocServer__Standalone"] = standalone ? "true" : "false";
            // The Digest timer (run by the standalone instance) every 20 s, so digests run through the faults too.
            settings["DocServerDigestSchedule"] = "*/20 * * * * *";
            settings["DocServer__ProbeInterval"] = "00:00:01";
            settings["DocServer__EvidenceFirstTokenTimeout"] = "00:00:03";
            settings["DocServer__SynthesisFirstTokenTimeout"] = "00:00:03";
            var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
            var process = AppProcess.Start(settings, url);
            await process.WaitUntilUpAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            apps.Add((process, new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) }));
        }

        var asks = new ConcurrentBag<(HttpStatusCode Status, double Ms, bool Extractive)>();
        var reasons = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var others = new ConcurrentBag<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        var load = new List<Task>();
        for (var client = 0; client < 2; client++)
        {
            var http = apps[client].Http;
            load.Add(Task.Run(async () =>
            {
                while (clock.Elapsed < Duration)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsJsonAsync("/api/ask", new { question = "What is the notice period for ending the tenancy?" }).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var extractive = body.Contains("\"extractive\":true", StringComparison.Ordinal);
                    asks.Add((response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, extractive));
                    if (extractive)
                    {
                        using var json = System.Text.Json.JsonDocument.Parse(body);
                        var skip = json.RootElement.GetProperty("skipReasons");
                        reasons.AddOrUpdate($"{skip.GetProperty("evidence")} / {skip.GetProperty("synthesis")}", 1, (_, n) => n + 1);
                    }

                    await Task.Delay(ThinkTime).ConfigureAwait(false); // a person reads the answer before asking again

                }
            }));
        }

        load.Add(Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < Duration; i++)
            {
                using var ingest = await apps[i % 2].Http.PostAsJsonAsync("/api/documents", new { id = $"doc-{i}", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }).ConfigureAwait(false);
                others.Add(ingest.StatusCode);
                await Task.Delay(2000).ConfigureAwait(false);
            }
        }));

        var faults = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            tunnel.Refuse();
            await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            tunnel.Pass();
            await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await azurite.StopAsync().ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(8)).ConfigureAwait(false);
            await azurite.RestartAsync().ConfigureAwait(false);
        });
        await Task.WhenAll([.. load, faults]).ConfigureAwait(false);

        var calls = mlx.Calls.OrderBy(c => c.Start).ToList();
        var busy = calls.Sum(c => Stopwatch.GetElapsedTime(c.Start, c.End).TotalMilliseconds);
        // A handoff: the next call starts within a second of the previous one ending (someone was waiting).
        var gaps = calls.Zip(calls.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a.End, b.Start).TotalMilliseconds).Where(g => g is >= 0 and < 1000).ToList();
        var upSeconds = Duration.TotalSeconds - 10 - 8; // the tunnel was down for 10 s, storage for 8 s
        var ok = asks.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Ms).ToList();
        string F(double value, string format = "F0") => value.ToString(format, CultureInfo.InvariantCulture);
        Table.Print(["metric", "value"],
        [
            ["asks answered (2 clients, 60 s)", F(asks.Count)],
            ["  of them 200 / 503 / other", $"{asks.Count(a => a.Status == HttpStatusCode.OK)} / {asks.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)} / {asks.Count(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))}"],
            ["  of the 200s, extractive (host or storage away)", F(asks.Count(a => a.Status == HttpStatusCode.OK && a.Extractive))],
            ["5xx other than 503 (asks, ingests)", F(asks.Count(a => (int)a.Status >= 500 && a.Status != HttpStatusCode.ServiceUnavailable) + others.Count(s => (int)s >= 500 && s != HttpStatusCode.ServiceUnavailable))],
            ["ingests 2xx / 503", $"{others.Count(s => (int)s < 300)} / {others.Count(s => s == HttpStatusCode.ServiceUnavailable)}"],
            ["ask p50 / p95 (ms), 200s", ok.Count == 0 ? "n/a" : $"{F(Percentiles.Of(ok, 50))} / {F(Percentiles.Of(ok, 95))}"],
            ["single-inference violations", F(mlx.Violations)],
            [$"MLX busy while host and storage were up ({ModelLatency.TotalMilliseconds:F0} ms per call)", $"{F(100 * busy / (upSeconds * 1000), "F1")} %"],
            ["handoff gap p50 / p95 (ms)", gaps.Count == 0 ? "n/a" : $"{F(Percentiles.Of(gaps, 50), "F1")} / {F(Percentiles.Of(gaps, 95), "F1")}"],
            ["app processes still running", F(apps.Count(a => !a.Process.HasExited))],
            .. reasons.OrderByDescending(r => r.Value).Take(4).Select(r => new[] { $"  extractive: {r.Key}", F(r.Value) }),
        ]);
        foreach (var (process, http) in apps)
        {
            http.Dispose();
            process.Dispose();
        }

        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Testing;

namespace DocServer.Benchmarks;

/// <summary>
/// What instrumentation costs an ask: two app processes on Azurite, side by side in one run, one exporting
/// everything over OTLP (to a local collector stand-in that accepts and keeps it) and one with the OpenTelemetry
/// SDK off (OTEL_SDK_DISABLED=true). Asks alternate between them, one at a time, the model answering at once;
/// each ask's overhead is its time at the client minus the model's time (the two calls' llm ms).
/// </summary>
internal static class TelemetryBenchmark
{
    public static async Task<int> RunAsync(int asks)
    {
        var azurite = await AzuriteServer.GetAsync().ConfigureAwait(false);
        await using var mlx = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
        mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt)));
        await using var sink = await TelemetrySink.StartAsync().ConfigureAwait(false);

        var instrumented = AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "ti" + Guid.NewGuid().ToString("N")[..10]);
        instrumented["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseUrl.ToString().TrimEnd('/');
        instrumented["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // Logs at Information, as deployed, so the log pipeline's cost is in the measure too.
        instrumented["Logging__LogLevel__Default"] = "Information";
        // The SDK on, nothing exported: what recording costs, apart from serialising and sending.
        var recording = AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "tr" + Guid.NewGuid().ToString("N")[..10]);
        recording["Logging__LogLevel__Default"] = "Information";
        var bare = AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "tb" + Guid.NewGuid().ToString("N")[..10]);
        bare["OTEL_SDK_DISABLED"] = "true";
        bare["Logging__LogLevel__Default"] = "Information";

        using var on = AppProcess.Start(instrumented, $"http://127.0.0.1:{LoopbackPorts.Free()}");
        using var off = AppProcess.Start(bare, $"http://127.0.0.1:{LoopbackPorts.Free()}");
        using var unexported = AppProcess.Start(recording, $"http://127.0.0.1:{LoopbackPorts.Free()}");
        await on.WaitUntilUpAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await off.WaitUntilUpAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        await unexported.WaitUntilUpAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        foreach (var app in new[] { on, off, unexported })
        {
            foreach (var (id, content) in new[] { ("tenancy", EvidenceFixtures.EnglishTenancy), ("boiler", EvidenceFixtures.EnglishBoiler), ("leave", EvidenceFixtures.KoreanLeaveRule) })
            {
                using var response = await http.PostAsJsonAsync($"{app.Url}/api/documents", new { id, content, contentType = "text" }).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }
        }

        var onTimes = new List<double>();
        var offTimes = new List<double>();
        var recordingTimes = new List<double>();
        (AppProcess App, List<double> Times)[] arms = [(on, onTimes), (off, offTimes), (unexported, recordingTimes)];
        for (var i = -50; i < asks; i++)
        {
            // Round robin, starting with a different app each round, so drift on the machine falls on all alike.
            for (var k = 0; k < arms.Length; k++)
            {
                var (app, times) = arms[(i + 50 + k) % arms.Length];
                var overhead = await AskAsync(http, app.Url!, i).ConfigureAwait(false);
                if (i >= 0)
                {
                    times.Add(overhead);
                }
            }
        }

        Console.WriteLine($"the ask's overhead excluding the model (client time minus the two calls' model time), {asks} asks each, round robin");
        Table.Print(["app", "p50 (ms)", "p95 (ms)", "mean (ms)"],
        [
            ["instrumented, exporting over OTLP", F(Percentiles.Of(onTimes, 50)), F(Percentiles.Of(onTimes, 95)), F(onTimes.Average())],
            ["instrumented, not exported", F(Percentiles.Of(recordingTimes, 50)), F(Percentiles.Of(recordingTimes, 95)), F(recordingTimes.Average())],
            ["OpenTelemetry off (OTEL_SDK_DISABLED)", F(Percentiles.Of(offTimes, 50)), F(Percentiles.Of(offTimes, 95)), F(offTimes.Average())],
            ["ratio exporting / off", F(Percentiles.Of(onTimes, 50) / Percentiles.Of(offTimes, 50), 3), F(Percentiles.Of(onTimes, 95) / Percentiles.Of(offTimes, 95), 3), F(onTimes.Average() / offTimes.Average(), 3)],
            ["ratio not exported / off", F(Percentiles.Of(recordingTimes, 50) / Percentiles.Of(offTimes, 50), 3), F(Percentiles.Of(recordingTimes, 95) / Percentiles.Of(offTimes, 95), 3), F(recordingTimes.Average() / offTimes.Average(), 3)],
        ]);
        Console.WriteLine($"exported meanwhile: traces {sink.Count("v1/traces")} requests / {sink.Bytes("v1/traces") / 1024} KiB, metrics {sink.Count("v1/metrics")} / {sink.Bytes("v1/metrics") / 1024} KiB, logs {sink.Count("v1/logs")} / {sink.Bytes("v1/logs") / 1024} KiB");
        return 0;
    }

    private static readonly string[] Questions = [EvidenceFixtures.EnglishQuestion, EvidenceFixtures.KoreanQuestion, "What pressure should the boiler show?"];

    private static async Task<double> AskAsync(HttpClient http, string url, int i)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsJsonAsync($"{url}/api/ask", new { question = Questions[Math.Abs(i) % Questions.Length] }).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(body);
        var timings = json.RootElement.GetProperty("timings");
        return elapsed - timings.GetProperty("evidenceLlmMs").GetDouble() - timings.GetProperty("synthesisLlmMs").GetDouble();
    }

    private static string F(double value, int digits = 2) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

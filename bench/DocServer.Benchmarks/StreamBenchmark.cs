using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using DocServer.Testing;

namespace DocServer.Benchmarks;

/// <summary>
/// The streamed ask as a caller sees it, against the app process on Azurite and a scripted host that writes the
/// answer in pieces: time to the first event after POST, and time from the evidence event (the synthesis's lease
/// is granted in the evidence call's release) to the first answer token.
/// </summary>
internal static class StreamBenchmark
{
    private const int Asks = 100;

    public static async Task<int> RunAsync()
    {
        var azurite = await AzuriteServer.GetAsync().ConfigureAwait(false);
        await using var mlx = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
        mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt)
            ? MlxReply.Words(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(5), first: TimeSpan.Zero)
            : MlxReply.Text(SensibleModel.Reply(prompt)));
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        using var app = AppProcess.Start(AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "st" + Guid.NewGuid().ToString("N")[..10]), url);
        await app.WaitUntilUpAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(1) };
        using (var ingest = await http.PostAsJsonAsync("/api/documents", new { id = "lease", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }).ConfigureAwait(false))
        {
            ingest.EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 20; i++)
        {
            await StreamOnceAsync(http).ConfigureAwait(false);
        }

        var firstEvent = new List<double>();
        var firstToken = new List<double>();
        for (var i = 0; i < Asks; i++)
        {
            var (toFirstEvent, toFirstToken) = await StreamOnceAsync(http).ConfigureAwait(false);
            firstEvent.Add(toFirstEvent);
            firstToken.Add(toFirstToken);
        }

        Console.WriteLine($"streamed asks (POST /api/ask/stream), app process on Azurite, {Asks} asks one after another");
        Table.Print(["measure", "p50", "p95"],
        [
            ["time to the first event after POST (ms)", F(Percentiles.Of(firstEvent, 50)), F(Percentiles.Of(firstEvent, 95))],
            ["evidence event (synthesis granted) to the first answer token (ms)", F(Percentiles.Of(firstToken, 50)), F(Percentiles.Of(firstToken, 95))],
        ]);
        return 0;
    }

    private static async Task<(double FirstEvent, double FirstToken)> StreamOnceAsync(HttpClient http)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/ask/stream") { Content = JsonContent.Create(new { question = EvidenceFixtures.EnglishQuestion }) }, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        double? first = null, evidence = null, token = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync().ConfigureAwait(false))
        {
            var at = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            first ??= at;
            if (item.EventType == "evidence")
            {
                evidence = at;
            }
            else if (item.EventType == "token" && token is null)
            {
                token = at;
            }
        }

        return (first ?? double.NaN, (token ?? double.NaN) - (evidence ?? double.NaN));
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}

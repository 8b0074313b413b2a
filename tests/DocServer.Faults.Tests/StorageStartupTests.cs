using System.Net;
using System.Net.Http.Json;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>
/// Storage that is not there when the app starts, or that comes back without the app's tables, containers and
/// queues (a new or restored account; an emulator that lost its data): the app keeps running, says so, answers
/// 503 rather than 500, and serves again without a restart once storage is back.
/// </summary>
public sealed class StorageStartupTests
{
    [Fact]
    public async Task StartedWhileStorageIsDown_IsUnhealthy_ThenAnswersAnAskOnceStorageComesUp_WithoutARestart()
    {
        using var azurite = AzuriteProcess.NotStarted(inMemory: true);
        await using var mlx = await ScriptedMlxServer.StartAsync();
        mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt)));
        var settings = AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "s" + Guid.NewGuid().ToString("N")[..12]);
        settings["DocServer__IndexRefreshInterval"] = "00:00:00.500";
        using var app = AppProcess.Start(settings, AppProcess.AnyPort);
        using var http = new HttpClient { BaseAddress = new Uri(await app.ListeningAsync(TimeSpan.FromSeconds(60))), Timeout = TimeSpan.FromSeconds(30) };

        var down = await EventuallyAsync(http, "/api/health", (r, _) => r.StatusCode == HttpStatusCode.ServiceUnavailable, app);
        Assert.Contains("\"unhealthy\"", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(down.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.PostAsJsonAsync("/api/documents", new { id = "early", content = "x", contentType = "text" })).StatusCode);

        await azurite.RestartAsync();
        // Healthy, and its index loaded (asks answer 503 "still loading" until then, as on any start).
        await EventuallyAsync(http, "/api/health", (r, body) => r.StatusCode == HttpStatusCode.OK && body.Contains("\"ready\":true", StringComparison.Ordinal), app);
        var ingest = await http.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        Assert.True(ingest.StatusCode == HttpStatusCode.Created, await ingest.Content.ReadAsStringAsync());
        var ask = await http.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion });

        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("\"found\":true", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(app.HasExited);
        Assert.Contains("storage not ready", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageComesBackEmpty_EveryListAndAskAnswers200Or503_Never500_AndWritesWorkAgain()
    {
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "tenancy", EvidenceFixtures.EnglishTenancy));

        // The bed's Azurite is in memory: restarted, it has no tables, containers or queues at all.
        await bed.Azurite.StopAsync();
        await bed.Azurite.RestartAsync();

        var statuses = new List<(string Request, HttpStatusCode Status)>();
        var written = false;
        for (var round = 0; round < 60 && !written; round++)
        {
            foreach (var path in new[] { "/api/documents", "/api/documents/tenancy", "/api/gate/status", "/api/digests", "/api/digests/latest", "/api/health" })
            {
                statuses.Add(($"GET {path}", (await app.GetAsync(path)).StatusCode));
            }

            statuses.Add(("POST /api/ask", (await app.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion })).StatusCode));
            var ingest = await FaultBed.IngestAsync(app, "boiler", EvidenceFixtures.EnglishBoiler);
            statuses.Add(("POST /api/documents", ingest));
            written = ingest == HttpStatusCode.Created;
            await Task.Delay(250);
        }

        Assert.True(written, "no document could be written once storage came back: " + string.Join(", ", statuses.TakeLast(8)));
        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500 && s.Status != HttpStatusCode.ServiceUnavailable);
        Assert.Contains(statuses, s => s.Request == "POST /api/ask" && s.Status == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/api/documents/boiler")).StatusCode);
    }

    private static async Task<HttpResponseMessage> EventuallyAsync(HttpClient http, string path, Func<HttpResponseMessage, string, bool> done, AppProcess app)
    {
        for (var i = 0; i < 240; i++)
        {
            Assert.False(app.HasExited, $"the app exited:\n{app.Output}");
            try
            {
                var response = await http.GetAsync(path);
                if (done(response, await response.Content.ReadAsStringAsync()))
                {
                    return response;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} never answered as expected:\n{app.Output}");
    }
}

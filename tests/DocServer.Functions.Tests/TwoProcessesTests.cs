using System.Net;
using System.Net.Http.Json;
using DocServer.Functions.Ask;
using DocServer.Testing;

namespace DocServer.Functions.Tests;

/// <summary>Two real app processes on one Azurite: one gate for the one MLX host between them (G1).</summary>
public sealed class TwoProcessesTests
{
    [Fact]
    public async Task G1_TwoAppProcessesAskingAtOnce_ShareOneGateWithZeroViolations()
    {
        await using var mlx = await ScriptedMlxServer.StartAsync();
        mlx.ReplyWith(prompt => MlxReply.Text(AppFactory.SensibleReply(prompt), TimeSpan.FromMilliseconds(15)));
        var settings = AppSettings.For((await AzuriteServer.GetAsync()).ConnectionString, mlx.BaseUrl, "p" + Guid.NewGuid().ToString("N")[..12]);
        settings["DocServer__IndexRefreshInterval"] = "00:00:00.200";
        settings["DocServer__AskWaitBudget"] = "00:01:00";
        using var first = AppProcess.Start(settings, AppProcess.AnyPort);
        using var second = AppProcess.Start(settings, AppProcess.AnyPort);
        await first.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
        await second.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var created = await http.PostAsJsonAsync($"{first.Url}/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Task.Delay(500); // the second instance re-reads the document list every 200 ms here

        var asks = Enumerable.Range(0, 20).Select(i => http.PostAsJsonAsync($"{(i % 2 == 0 ? first.Url : second.Url)}/api/ask", new { question = EvidenceFixtures.EnglishQuestion }));
        var responses = await Task.WhenAll(asks);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(AppFactory.ReadAsync<AskResponse>));
        Assert.All(answers, a => Assert.True(a.Found && !a.Extractive, $"fell back: {a.SkipReasons}"));
        Assert.Equal(0, mlx.Violations);
        Assert.Equal(1, mlx.MostAtOnce);
        Assert.Equal(40, mlx.Requests.Count);
    }
}

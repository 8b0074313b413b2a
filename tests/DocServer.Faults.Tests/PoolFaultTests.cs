using System.Net;
using System.Text.Json;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>G12 with real processes: two app instances, two scripted single-inference hosts serving asks as a pool.</summary>
public sealed class PoolFaultTests
{
    private static readonly TimeSpan Service = TimeSpan.FromMilliseconds(150);

    [Fact]
    public async Task G12_PoolOfTwo_BurstKeepsBothBusy_AndWhenOneHostIsKilledItsAsksMoveToTheOther()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), Service));
        var studio = await ScriptedMlxServer.StartAsync();
        studio.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), Service));
        var pool = new Dictionary<string, string>
        {
            ["DocServer__Endpoints__macstudio__Url"] = studio.BaseUrl.ToString(),
            ["DocServer__Endpoints__macstudio__Model"] = "gemma-test",
            ["DocServer__AskEndpoints"] = "macmini,macstudio",
            ["DocServer__AskWaitBudget"] = "00:00:30",
        };
        HttpClient[] apps = [await bed.StartAppAsync(pool), await bed.StartAppAsync(pool, standalone: false)];
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(apps[0], "lease", EvidenceFixtures.EnglishTenancy));

        var burst = Enumerable.Range(0, 12).Select(i => FaultBed.AskAsync(apps[i % 2], EvidenceFixtures.EnglishQuestion)).ToList();
        await FaultBed.EventuallyAsync(() => Task.FromResult(studio.Calls.Count >= 3 && bed.Mlx.Calls.Count >= 3), "both hosts serving the burst", TimeSpan.FromSeconds(15));
        var studioViolations = studio.Violations;
        await studio.DisposeAsync();
        var during = await Task.WhenAll(burst);
        var after = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => FaultBed.AskAsync(apps[i % 2], EvidenceFixtures.EnglishQuestion)));

        Assert.All(during.Concat(after), ask => Assert.Equal(HttpStatusCode.OK, ask.Status));
        // The asks whose calls the dead host refused were served by the other: none fell back to the documents.
        Assert.All(during.Concat(after), ask => Assert.False(ask.Body.GetProperty("extractive").GetBoolean(), ask.Body.ToString()));
        Assert.All(after, ask => Assert.Equal("macmini", Endpoint(ask.Body, "synthesis")));
        Assert.Contains(during, ask => Endpoint(ask.Body, "evidence") == "macstudio" || Endpoint(ask.Body, "synthesis") == "macstudio");
        Assert.Equal((0, 0), (bed.Mlx.Violations, studioViolations));
    }

    private static string? Endpoint(JsonElement ask, string call) => ask.GetProperty("endpoints").GetProperty(call).GetString();
}

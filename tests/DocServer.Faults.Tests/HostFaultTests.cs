using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DocServer.Core.Evidence;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>G13 and the stream deadlines, with the app as a real process and the Mac behind a tunnel that fails.</summary>
public sealed class HostFaultTests
{
    private const string Question = "What is the notice period for ending the tenancy?";

    [Fact]
    public async Task G13_HostRefusesFor30Seconds_AsksAnswerAtOnce_IngestsAreDeferredNotPoisoned_AndAllSummarisedAfter()
    {
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "before", EvidenceFixtures.EnglishTenancy));
        Assert.Empty(await FaultBed.WaitForSummariesAsync(app, ["before"], TimeSpan.FromSeconds(20)));

        bed.Tunnel.Refuse();
        var ids = new List<string>();
        var asks = new List<(HttpStatusCode Status, JsonElement Body, TimeSpan Took)>();
        var outage = Stopwatch.StartNew();
        for (var i = 0; outage.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            var id = $"during-{i}";
            Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, id, EvidenceFixtures.EnglishTenancy));
            ids.Add(id);
            asks.Add(await FaultBed.AskAsync(app, Question));
            await Task.Delay(1000);
        }

        Assert.All(asks, ask => Assert.Equal(HttpStatusCode.OK, ask.Status));
        Assert.All(asks, ask => Assert.True(ask.Took < TimeSpan.FromSeconds(1), $"an ask took {ask.Took.TotalMilliseconds:F0} ms while the host was down"));
        Assert.All(asks, ask => Assert.True(ask.Body.GetProperty("extractive").GetBoolean()));
        Assert.Contains(asks, ask => ask.Body.GetProperty("skipReasons").GetProperty("evidence").GetString() == EvidenceSkipReasons.LlmUnavailable);

        bed.Tunnel.Pass();
        var missing = await FaultBed.WaitForSummariesAsync(app, ids, TimeSpan.FromSeconds(60));

        Assert.Empty(missing);
        Assert.Equal(0, await bed.Queue("-poison").ApproximateCountAsync(CancellationToken.None));
        Assert.Equal(0, bed.Mlx.Violations);
        var after = await FaultBed.AskAsync(app, Question);
        Assert.False(after.Body.GetProperty("extractive").GetBoolean());
    }

    [Fact]
    public async Task G13_BlackHole_FirstAskStopsAtTheFirstTokenDeadline_ThenTheBreakerIsOpenAndAsksAnswerAtOnce()
    {
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync(standalone: false);
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "tenancy", EvidenceFixtures.EnglishTenancy));
        bed.Tunnel.BlackHole();

        var first = await FaultBed.AskAsync(app, Question);
        var later = new List<(HttpStatusCode Status, JsonElement Body, TimeSpan Took)>();
        for (var i = 0; i < 3; i++)
        {
            later.Add(await FaultBed.AskAsync(app, Question));
        }

        // Two first-token deadlines of 2 s (evidence, synthesis) and nothing like the old 30 s call timeout.
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.InRange(first.Took, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(8));
        Assert.Equal(EvidenceSkipReasons.LlmTimeout, first.Body.GetProperty("skipReasons").GetProperty("evidence").GetString());
        Assert.All(later, ask => Assert.True(ask.Took < TimeSpan.FromSeconds(1), $"{ask.Took.TotalMilliseconds:F0} ms"));
        Assert.All(later, ask => Assert.Equal(EvidenceSkipReasons.LlmUnavailable, ask.Body.GetProperty("skipReasons").GetProperty("evidence").GetString()));

        // The health page and the gate row say so (the row within one probe interval).
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var health = await app.GetAsync("/api/health");
        var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.Equal("down", report.GetProperty("endpoints")[0].GetProperty("state").GetString());
        Assert.Contains("first token", report.GetProperty("gates")[0].GetProperty("health").GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowTrickleLongerThanTheOld30Seconds_IsNotCut_ButAStallIsCutAtTheIdleTimeout()
    {
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync(standalone: false);
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "tenancy", EvidenceFixtures.EnglishTenancy));
        var piece = "Two months notice, in writing. ";
        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt)
            ? MlxReply.Trickle(piece, 32, TimeSpan.FromSeconds(1))
            : MlxReply.Text(SensibleModel.Reply(prompt)));

        var slow = await FaultBed.AskAsync(app, Question);

        Assert.Equal(HttpStatusCode.OK, slow.Status);
        Assert.True(slow.Took > TimeSpan.FromSeconds(30), $"{slow.Took.TotalSeconds:F1} s");
        Assert.False(slow.Body.GetProperty("extractive").GetBoolean(), slow.Body.GetRawText());
        Assert.StartsWith(string.Concat(Enumerable.Repeat(piece, 32)).Trim(), slow.Body.GetProperty("answer").GetString(), StringComparison.Ordinal);

        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt)
            ? MlxReply.Timed((TimeSpan.FromMilliseconds(100), "Two months"), (TimeSpan.FromMilliseconds(100), " notice"), (TimeSpan.FromSeconds(30), " never comes"))
            : MlxReply.Text(SensibleModel.Reply(prompt)));
        var stalled = await FaultBed.AskAsync(app, Question);

        Assert.True(stalled.Body.GetProperty("extractive").GetBoolean());
        Assert.Equal("synthesis_timeout", stalled.Body.GetProperty("skipReasons").GetProperty("synthesis").GetString());
        Assert.True(stalled.Took < TimeSpan.FromSeconds(6), $"a stalled synthesis held the ask for {stalled.Took.TotalSeconds:F1} s");
        Assert.Equal(0, bed.Mlx.Violations);
    }
}

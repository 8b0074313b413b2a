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
        Assert.All(asks, AnsweredAtOnce);
        Assert.All(asks, ask => Assert.True(ask.Body.GetProperty("extractive").GetBoolean()));
        Assert.Contains(asks, ask => ask.Body.GetProperty("skipReasons").GetProperty("evidence").GetString() == EvidenceSkipReasons.LlmUnavailable);

        bed.Tunnel.Pass();
        var missing = await FaultBed.WaitForSummariesAsync(app, ids, TimeSpan.FromSeconds(60));

        Assert.Empty(missing);
        // G13: an outage never fails an extraction; each waited on its durable timer and then ran once.
        Assert.All(await bed.ExtractionsAsync(), e => Assert.Equal(Durable.DurableStatus.Completed, e.Status));
        Assert.Equal(0, bed.Mlx.Violations);
        var after = await FaultBed.AskAsync(app, Question);
        Assert.False(after.Body.GetProperty("extractive").GetBoolean());
    }

    [Fact]
    public async Task G13_BlackHole_FirstAskStopsAtTheFirstTokenDeadline_ThenTheBreakerIsOpenAndAsksAnswerAtOnce()
    {
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync(bed.BackgroundOnItsOwnHost(), standalone: false);
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "tenancy", EvidenceFixtures.EnglishTenancy));
        bed.Tunnel.BlackHole();

        var first = await FaultBed.AskAsync(app, Question);
        var later = new List<(HttpStatusCode Status, JsonElement Body, TimeSpan Took)>();
        for (var i = 0; i < 3; i++)
        {
            later.Add(await FaultBed.AskAsync(app, Question));
        }

        // Each call stopped at its first-token deadline of 2 s (its own model time says so), nothing like the old 30 s
        // call timeout. The wall time also holds the gate waits, which a loaded machine stretched to 2.8 s once in CI
        // (8.3 s in all), so it is only held well under the old timeout.
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var timings = first.Body.GetProperty("timings");
        foreach (var call in new[] { "evidenceLlmMs", "synthesisLlmMs" })
        {
            Assert.InRange(timings.GetProperty(call).GetDouble(), 0.9 * FaultBed.FirstTokenTimeout.TotalMilliseconds, FaultBed.FirstTokenTimeout.TotalMilliseconds + 1500);
        }

        Assert.True(first.Took < TimeSpan.FromSeconds(15), $"the first ask took {first.Took.TotalSeconds:F1} s ({timings.GetRawText()})");
        Assert.Equal(EvidenceSkipReasons.LlmTimeout, first.Body.GetProperty("skipReasons").GetProperty("evidence").GetString());
        Assert.All(later, AnsweredAtOnce);
        Assert.All(later, ask => Assert.Equal(EvidenceSkipReasons.LlmUnavailable, ask.Body.GetProperty("skipReasons").GetProperty("evidence").GetString()));

        // The health page and the gate row say so. The row is written by an operation on the gate entity after a probe
        // (1 s apart here): on a loaded machine that took longer than the 2.5 s this test once waited (a CI trial), so
        // it waits until the row has it, up to 10 s.
        JsonElement report = default;
        await FaultBed.EventuallyAsync(async () =>
        {
            using var health = await app.GetAsync("/api/health");
            report = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.Clone();
            return health.StatusCode == HttpStatusCode.OK
                && report.GetProperty("gates").EnumerateArray().Any(g => g.GetProperty("gate").GetString() == "macmini" && g.GetProperty("health").ValueKind == JsonValueKind.Object);
        }, "the gate row to carry the host's health");
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        var endpoint = report.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "macmini");
        var gate = report.GetProperty("gates").EnumerateArray().Single(g => g.GetProperty("gate").GetString() == "macmini");
        Assert.Equal("down", endpoint.GetProperty("state").GetString());
        Assert.Contains("first token", gate.GetProperty("health").GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// "At once" while the host is down: the ask's model calls (its own timings) waited for no model deadline (the first
    /// token's is 2 s here), and the whole ask stayed under three of them. The wall time alone is not the measure: a
    /// loaded 2-core machine running four fault tests at once added over a second of gate handoff and HTTP to one
    /// ask in CI (2.8 s, its model calls 0 ms).
    /// </summary>
    private static void AnsweredAtOnce((HttpStatusCode Status, JsonElement Body, TimeSpan Took) ask)
    {
        var timings = ask.Body.GetProperty("timings");
        var modelMs = timings.GetProperty("evidenceLlmMs").GetDouble() + timings.GetProperty("synthesisLlmMs").GetDouble();
        Assert.True(modelMs < FaultBed.FirstTokenTimeout.TotalMilliseconds, $"the ask's model calls took {modelMs:F0} ms: it waited for a model deadline ({timings.GetRawText()})");
        Assert.True(ask.Took < 3 * FaultBed.FirstTokenTimeout, $"an ask took {ask.Took.TotalMilliseconds:F0} ms while the host was down ({timings.GetRawText()})");
    }

    [Fact]
    public async Task SlowTrickleLongerThanTheOld30Seconds_IsNotCut_ButAStallIsCutAtTheIdleTimeout()
    {
        await using var bed = await FaultBed.StartAsync();
        // Pieces a second apart against a 4 s idle timeout: a loaded machine (CI runs suites side by side) once
        // delayed one piece past the 2 s the other tests use, which is a stall by that measure, not this test's.
        using var app = await bed.StartAppAsync(bed.BackgroundOnItsOwnHost(new() { ["DocServer__SynthesisIdleTimeout"] = "00:00:04" }), standalone: false);
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "tenancy", EvidenceFixtures.EnglishTenancy));
        var piece = "Two months notice, in writing. ";
        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt)
            ? MlxReply.Trickle(piece, 32, TimeSpan.FromSeconds(1))
            : MlxReply.Text(SensibleModel.Reply(prompt)));

        var slow = await FaultBed.AskAsync(app, Question);

        // What the ask answered first (an extractive answer says why in its skip reasons), then how long it took.
        Assert.Equal(HttpStatusCode.OK, slow.Status);
        Assert.False(slow.Body.GetProperty("extractive").GetBoolean(), slow.Body.GetRawText());
        Assert.StartsWith(string.Concat(Enumerable.Repeat(piece, 32)).Trim(), slow.Body.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.True(slow.Took > TimeSpan.FromSeconds(30), $"{slow.Took.TotalSeconds:F1} s: {slow.Body.GetProperty("timings").GetRawText()}");

        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt)
            ? MlxReply.Timed((TimeSpan.FromMilliseconds(100), "Two months"), (TimeSpan.FromMilliseconds(100), " notice"), (TimeSpan.FromSeconds(30), " never comes"))
            : MlxReply.Text(SensibleModel.Reply(prompt)));
        var stalled = await FaultBed.AskAsync(app, Question);

        Assert.True(stalled.Body.GetProperty("extractive").GetBoolean());
        Assert.Equal("synthesis_timeout", stalled.Body.GetProperty("skipReasons").GetProperty("synthesis").GetString());
        // The synthesis call was cut at its idle timeout (4 s after the last piece), by its own model time; the wall time,
        // which also holds gate waits a loaded machine stretches, only well under the 30 s the piece would have taken.
        var synthesisMs = stalled.Body.GetProperty("timings").GetProperty("synthesisLlmMs").GetDouble();
        Assert.InRange(synthesisMs, 4000, 4000 + 200 + 1500);
        Assert.True(stalled.Took < TimeSpan.FromSeconds(15), $"a stalled synthesis held the ask for {stalled.Took.TotalSeconds:F1} s");
        Assert.Equal(0, bed.Mlx.Violations);
    }
}

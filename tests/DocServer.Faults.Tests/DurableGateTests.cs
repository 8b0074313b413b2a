using System.Diagnostics;
using System.Net;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>
/// The gate entity with real app processes on one task hub (Azurite), the scripted host counting calls made while
/// another runs: processes share the work as instances do in Azure, and a process killed mid-call (the one that
/// hosts the hub's partition, and so the gate entity) never lets a call past the gate.
/// </summary>
public sealed class DurableGateTests
{
    [Fact]
    public async Task G3_ThreeProcesses_120AsksFortyAtOnceAndTwentyExtractions_NeverTwoCallsAndEachDocumentSummarisedOnce()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(20)));
        // An ingest that could not schedule its extraction (storage slow under this load) leaves the version to the
        // catch-up timer: every 20 s here rather than 5 minutes, so "each document summarised once" holds by the
        // product's own recovery within the test's wait.
        var settings = new Dictionary<string, string>
        {
            ["DocServer__AskWaitBudget"] = "00:03:00",
            ["DocServer__BackgroundWaitBudget"] = "00:03:00",
            ["DocServerExtractionCatchUpSchedule"] = "*/20 * * * * *",
        };
        var apps = new List<HttpClient>();
        for (var i = 0; i < 3; i++)
        {
            // 120 asks, 40 at once, on one host: the last waits behind about 80 calls and their handoffs. The client
            // waits out both of an ask's wait budgets (a slow machine stretches every handoff), so an ask ends by the
            // app's own rules (an answer, or a fallback after its budget), never by the test's client giving up.
            apps.Add(await bed.StartAppAsync(settings, clientTimeout: TimeSpan.FromMinutes(7)));
        }

        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(apps[0], "tenancy", EvidenceFixtures.EnglishTenancy));
        var ids = Enumerable.Range(0, 20).Select(i => $"doc-{i}").ToList();
        // Sent as a client does: CI's starved Azurite once let two of the twenty time out (a 503 with Retry-After).
        var ingests = ids.Select((id, i) => FaultBed.PostDocumentRetryingAsync(apps[i % 3], id, EvidenceFixtures.EnglishBoiler + $" Reference {id}.")).ToList();
        using var forty = new SemaphoreSlim(40);
        var asks = Enumerable.Range(0, 120).Select(async i =>
        {
            await forty.WaitAsync();
            try
            {
                return await FaultBed.AskAsync(apps[i % 3], EvidenceFixtures.EnglishQuestion);
            }
            finally
            {
                forty.Release();
            }
        }).ToList();

        Assert.All(await Task.WhenAll(ingests), ingest => Assert.True(ingest.Status == HttpStatusCode.Created, $"{(int)ingest.Status}: {ingest.Body}"));
        var answered = await Task.WhenAll(asks);
        var missing = await FaultBed.WaitForSummariesAsync(apps[1], ids.Append("tenancy"), TimeSpan.FromSeconds(120));

        Assert.True(missing.Count == 0, await bed.WhyNotSummarisedAsync(apps[0], missing));
        Assert.All(answered, ask => Assert.Equal(HttpStatusCode.OK, ask.Status));
        Assert.Equal(0, bed.Mlx.Violations);
        Assert.Equal(1, bed.Mlx.MostAtOnce);
        Assert.Equal(21, bed.Mlx.Requests.Count(r => SensibleModel.IsSummary(r.Prompt)));
        Assert.All(await bed.ExtractionsAsync(), e => Assert.Equal(Durable.DurableStatus.Completed, e.Status));

        // Three processes on one machine are three workers of the hub: one owns its partition (the gate entity) and no
        // two run the same instance at once. With the machine name as every process's worker id all three read the
        // control queue, and the task hub threw away ~50 of their work items a run as "split brain".
        Assert.All(bed.Apps, app => Assert.DoesNotContain("Split brain detected", app.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task G6_ProcessKilledWhileItsActivityHoldsTheLease_NoCallOutsideTheGate_TheWorkIsRedoneOnce_TheWaiterIsServed()
    {
        await using var bed = await FaultBed.StartAsync();
        var summaryCall = TimeSpan.FromSeconds(20);
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), SensibleModel.IsSummary(prompt) ? summaryCall : TimeSpan.FromMilliseconds(50)));
        var settings = new Dictionary<string, string>
        {
            ["DocServer__Endpoints__macmini__LeaseTtl"] = "00:00:06",
            ["DocServer__AskWaitBudget"] = "00:01:00",
            ["DocServer__SummaryTimeout"] = "00:01:00",
            ["DocServer__SummaryIdleTimeout"] = "00:00:30",
            ["DocServer__SummaryFirstTokenTimeout"] = "00:00:30",
        };

        // The doomed process starts alone: it owns the hub's one partition (the gate entity lives there) and runs the activity.
        using var doomed = await bed.StartAppAsync(settings);
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(doomed, "tenancy", EvidenceFixtures.EnglishTenancy));
        await FaultBed.EventuallyAsync(() => Task.FromResult(bed.Mlx.Requests.Any(r => SensibleModel.IsSummary(r.Prompt))), "the summary call to start", TimeSpan.FromSeconds(60));
        using var survivor = await bed.StartAppAsync(settings);
        var waiter = FaultBed.AskAsync(survivor, EvidenceFixtures.EnglishQuestion);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var killedAt = Stopwatch.StartNew();
        bed.Apps[0].Dispose();

        var ask = await waiter;
        var askServedAfter = killedAt.Elapsed;
        var missing = await FaultBed.WaitForSummariesAsync(survivor, ["tenancy"], TimeSpan.FromSeconds(120));

        Assert.Equal(HttpStatusCode.OK, ask.Status);
        Assert.False(ask.Body.GetProperty("extractive").GetBoolean(), ask.Body.GetRawText());
        Assert.Empty(missing);
        Assert.Equal(0, bed.Mlx.Violations);
        // The killed call, and its redo on the survivor: the work is done once more, not twice more.
        Assert.Equal(2, bed.Mlx.Requests.Count(r => SensibleModel.IsSummary(r.Prompt)));
        // The waiter: the dead lease runs out (6 s), the partition moves (10 s lease) and the entity's reminder grants.
        var bound = TimeSpan.FromSeconds(15) + TimeSpan.FromSeconds(6) + TimeSpan.FromSeconds(5);
        Assert.True(askServedAfter < bound, $"the waiting ask was served {askServedAfter.TotalSeconds:F1} s after the kill (bound {bound.TotalSeconds} s)");
        Assert.All(await bed.ExtractionsAsync(), e => Assert.Equal(Durable.DurableStatus.Completed, e.Status));
    }
}

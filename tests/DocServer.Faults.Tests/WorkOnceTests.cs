using System.Net;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>Work done once across instances, with real processes: a running activity's work item stays invisible while it runs.</summary>
public sealed class WorkOnceTests
{
    [Fact]
    public async Task ExtractionLongerThanTheWorkItemVisibility_TwoInstances_OneSummaryCallPerDocument()
    {
        await using var bed = await FaultBed.StartAsync();
        // Each summary takes 9 s, longer than the 6 s a taken work item stays invisible unless its worker renews it
        // (DurableTask.Core renews on a 5 s tick: the visibility must be longer than that, docs/design.md).
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), SensibleModel.IsSummary(prompt) ? TimeSpan.FromSeconds(9) : TimeSpan.FromMilliseconds(50)));
        var lease = new Dictionary<string, string>
        {
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:06",
            ["DocServer__SummaryFirstTokenTimeout"] = "00:00:20",
            ["DocServer__SummaryIdleTimeout"] = "00:00:20",
        };
        using var first = await bed.StartAppAsync(lease);
        using var second = await bed.StartAppAsync(lease);
        var ids = Enumerable.Range(0, 2).Select(i => $"doc-{i}").ToList();

        foreach (var id in ids)
        {
            Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(first, id, EvidenceFixtures.EnglishTenancy + $" Reference {id}."));
        }

        Assert.Empty(await FaultBed.WaitForSummariesAsync(first, ids, TimeSpan.FromSeconds(90)));
        await Task.Delay(TimeSpan.FromSeconds(7)); // anything taken twice would be running by now

        Assert.Equal(2, bed.Mlx.Requests.Count(r => SensibleModel.IsSummary(r.Prompt)));
        Assert.Equal(0, bed.Mlx.Violations);
        Assert.All(await bed.ExtractionsAsync(), e => Assert.Equal(Durable.DurableStatus.Completed, e.Status));
    }

    [Fact]
    public async Task AsyncAsk_AcceptedByAnInstanceThatStopsAtOnce_IsAnsweredByAnother()
    {
        await using var bed = await FaultBed.StartAsync();
        // The ask shares the gate with the document's extraction on the other instance: a wait budget that a loaded
        // machine cannot run out (CI once did at the fault tests' 5 s: an extractive answer, one model call), so what
        // is checked is who answered, not how fast the gate turned.
        var patient = new Dictionary<string, string> { ["DocServer__AskWaitBudget"] = "00:01:00" };
        using var accepting = await bed.StartAppAsync(patient, standalone: false);
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(accepting, "tenancy", EvidenceFixtures.EnglishTenancy));
        using var accepted = await accepting.PostAsync("/api/ask", new StringContent("{\"question\": \"What is the notice period?\", \"async\": true}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var statusUrl = accepted.Headers.Location!.ToString();
        bed.Apps[0].Dispose(); // the instance that accepted it is gone (a scale-in, a restart)

        using var other = await bed.StartAppAsync(patient);
        HttpStatusCode status;
        var polls = 0;
        do
        {
            await Task.Delay(250);
            status = (await other.GetAsync(statusUrl)).StatusCode;
        }
        while (status == HttpStatusCode.Accepted && ++polls < 120);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, bed.Mlx.Requests.Count(r => SensibleModel.IsEvidence(r.Prompt) || SensibleModel.IsSynthesis(r.Prompt)));
    }
}

using System.Text.Json;
using DocServer.Core.Documents;
using DocServer.Durable;
using DocServer.Durable.TaskHub;
using DocServer.Storage;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>
/// A digest run resumes by replay, with real processes on one task hub: the process running it is killed while
/// its second summary is being made; another process finishes the run without making the first summary again,
/// and no model call is ever made outside the gate.
/// </summary>
public sealed class DigestCrashTests
{
    [Fact]
    public async Task ProcessKilledMidRun_AnotherFinishesIt_TheFinishedSummaryIsNotRedone_AndTheDigestListsBoth()
    {
        await using var bed = await FaultBed.StartAsync();
        // The second document's first summary call never answers, so the kill always lands inside it (a 10 s reply was
        // over before the kill once in CI, while the survivor took its time to start, and its redo then found it kept).
        var secondCalls = 0;
        bed.Mlx.ReplyWith(prompt => prompt.Contains("Reference second", StringComparison.Ordinal) && Interlocked.Increment(ref secondCalls) == 1
            ? MlxReply.Hang()
            : MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(50)));
        var settings = new Dictionary<string, string>
        {
            ["DocServer__Standalone"] = "true",
            ["DocServer__DigestCutoffLag"] = "00:00:00",
            ["DocServer__Endpoints__macmini__LeaseTtl"] = "00:00:06",
            ["DocServer__SummaryFirstTokenTimeout"] = "00:01:00",
            ["DocServer__SummaryIdleTimeout"] = "00:00:30",
        };
        // The doomed process starts alone: it owns the hub's partition and takes the run's activities.
        using var doomed = await bed.StartAppAsync(settings);

        // Stored without extraction (as if it never ran), so the digest run summarises both, first then second.
        var documents = bed.Documents();
        foreach (var id in new[] { "first", "second" })
        {
            var text = $"{EvidenceFixtures.EnglishTenancy} Reference {id}.";
            await documents.SaveAsync(id, id, "text/plain", text, DocumentChunker.Chunk(id, id, text, false), CancellationToken.None);
        }

        using var hub = new TaskHubService(StorageAccount.FromConnectionString(bed.Storage), new TaskHubOptions { HubName = bed.Prefix }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var durable = new TaskHubDurableWork(hub);
        const string RunId = "20261206T070000Z";
        Assert.True(await durable.ScheduleAsync("Digest", "digest-" + RunId, new { RunId, TraceParent = (string?)null }, CancellationToken.None));
        await FaultBed.EventuallyAsync(() => Task.FromResult(SummaryCalls(bed, "second") == 1), "the second summary to start", TimeSpan.FromSeconds(60));
        using var survivor = await bed.StartAppAsync(settings);
        bed.Apps[0].Dispose();

        DurableInstance? run = null;
        await FaultBed.EventuallyAsync(async () => (run = await durable.GetInstanceAsync("digest-" + RunId, CancellationToken.None))?.Status is DurableStatus.Completed or DurableStatus.Failed, "the run to finish", TimeSpan.FromSeconds(120));

        Assert.Equal(DurableStatus.Completed, run!.Status);
        Assert.Equal(1, SummaryCalls(bed, "first"));
        // The killed call, and its redo on the survivor.
        Assert.Equal(2, SummaryCalls(bed, "second"));
        Assert.Equal(0, bed.Mlx.Violations);
        using var digest = JsonDocument.Parse(await survivor.GetStringAsync($"/api/digests/{RunId}"));
        Assert.Equal(["first", "second"], digest.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));
        Assert.All(digest.RootElement.GetProperty("documents").EnumerateArray(), d => Assert.Equal("A document about rules.", d.GetProperty("summary").GetString()));
    }

    private static int SummaryCalls(FaultBed bed, string id) =>
        bed.Mlx.Requests.Count(r => SensibleModel.IsSummary(r.Prompt) && r.Prompt.Contains($"Reference {id}.", StringComparison.Ordinal));
}

using System.Net;
using System.Text.Json;
using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>
/// A running instance follows the change log other instances write, even past a trim; the snapshot writer trims it
/// a snapshot behind. Apart from <see cref="IndexStartTests"/> so the two run side by side (each about 1.5 minutes).
/// </summary>
public sealed class ChangeLogFollowTests
{
    [Fact]
    public async Task SnapshotWriter_TrimsTheChangeLogASnapshotAgo_AndANewInstanceStillLoadsEverything()
    {
        await using var bed = await FaultBed.StartAsync();
        var writer = await bed.StartAppAsync(new() { ["DocServer__IndexSnapshotInterval"] = "00:00:01" });
        var store = bed.Documents();
        foreach (var (id, text) in new[] { ("lease", EvidenceFixtures.EnglishTenancy), ("boiler", EvidenceFixtures.EnglishBoiler), ("rules", EvidenceFixtures.KoreanLeaveRule) })
        {
            Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(writer, id, text));
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // a snapshot after each: the next one trims what the one before had applied
        }

        await FaultBed.EventuallyAsync(async () => (await store.ChangeLog.ChangesAsync(0, CancellationToken.None)) is [{ Sequence: > 1 }, ..], "the change log trimmed");
        var newest = await store.ChangeLog.SequenceAsync(CancellationToken.None);
        Assert.Equal(newest, (await store.ChangeLog.ChangesAsync(0, CancellationToken.None))[^1].Sequence);

        var second = await bed.StartAppAsync(standalone: false);
        using var health = JsonDocument.Parse(await second.GetStringAsync("/api/health"));
        Assert.Equal(3, health.RootElement.GetProperty("index").GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task RunningInstance_FrozenWhileTheChangeLogWasTrimmedPastIt_SeesTheGapAndListsEverything()
    {
        await using var bed = await FaultBed.StartAsync();
        var follower = await bed.StartAppAsync(standalone: false);
        await FaultBed.EventuallyAsync(async () => (await FaultBed.AskAsync(follower, EvidenceFixtures.EnglishQuestion)).Status == HttpStatusCode.OK, "the follower ready");
        var store = bed.Documents();

        // Frozen, it misses five documents' entries; four of them are trimmed before it wakes.
        await bed.Apps[0].SuspendAsync();
        await store.ImportAsync([.. new[] { ("lease", EvidenceFixtures.EnglishTenancy), ("boiler", EvidenceFixtures.EnglishBoiler), ("rules", EvidenceFixtures.KoreanLeaveRule), ("d4", "four"), ("d5", "five") }
            .Select(d => new DocumentImport(d.Item1, d.Item1, "text/plain", d.Item2, DocumentChunker.Chunk(d.Item1, d.Item1, d.Item2, markdown: false)))], CancellationToken.None);
        Assert.Equal(4, await store.ChangeLog.TrimAsync(4, CancellationToken.None));
        await bed.Apps[0].ResumeAsync();

        await FaultBed.EventuallyAsync(async () => (await FaultBed.AskAsync(follower, EvidenceFixtures.EnglishQuestion)).Body.GetProperty("evidence").GetArrayLength() > 0, "the follower finding a document whose entry was trimmed");
        using var health = JsonDocument.Parse(await follower.GetStringAsync("/api/health"));
        Assert.Equal(5, health.RootElement.GetProperty("index").GetProperty("documents").GetInt32());
        Assert.Contains("change log trimmed past this instance (applied 0, oldest now 5)", bed.Apps[0].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningInstance_FollowsTheChangeLog_ADocumentAddedThenDeletedElsewhereComesAndGoes()
    {
        await using var bed = await FaultBed.StartAsync();
        var writer = await bed.StartAppAsync();
        var follower = await bed.StartAppAsync(standalone: false);

        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(writer, "lease", EvidenceFixtures.EnglishTenancy));
        await FaultBed.EventuallyAsync(async () => (await FaultBed.AskAsync(follower, EvidenceFixtures.EnglishQuestion)).Body.GetProperty("evidence").GetArrayLength() > 0, "the follower finding the new document");
        Assert.Equal(HttpStatusCode.NoContent, (await writer.DeleteAsync("/api/documents/lease")).StatusCode);
        await FaultBed.EventuallyAsync(async () => (await FaultBed.AskAsync(follower, EvidenceFixtures.EnglishQuestion)).Body.GetProperty("evidence").GetArrayLength() == 0, "the follower dropping it");

        using var health = JsonDocument.Parse(await follower.GetStringAsync("/api/health"));
        Assert.True(health.RootElement.GetProperty("index").GetProperty("sequence").GetInt64() >= 2);
    }
}

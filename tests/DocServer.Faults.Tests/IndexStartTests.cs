using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>A new instance: it listens at once, loads from the snapshot another instance wrote, and serves.</summary>
public sealed class IndexStartTests
{
    [Fact]
    public async Task NewInstance_LoadsTheDocumentsFromTheSnapshotAnotherWrote_AndAnswersFromThem()
    {
        await using var bed = await FaultBed.StartAsync();
        var snapshotSoon = new Dictionary<string, string> { ["DocServer__IndexSnapshotInterval"] = "00:00:01" };
        var first = await bed.StartAppAsync(snapshotSoon);
        foreach (var (id, text) in new[] { ("lease", EvidenceFixtures.EnglishTenancy), ("boiler", EvidenceFixtures.EnglishBoiler), ("rules", EvidenceFixtures.KoreanLeaveRule) })
        {
            Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(first, id, text));
        }

        // The snapshot is written by the first instance's loader within an interval or two.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var second = await bed.StartAppAsync(snapshotSoon, standalone: false);

        using var health = JsonDocument.Parse(await second.GetStringAsync("/api/health"));
        var index = health.RootElement.GetProperty("index");
        Assert.True(index.GetProperty("ready").GetBoolean());
        Assert.Equal(3, index.GetProperty("documents").GetInt32());
        Assert.Equal(3, index.GetProperty("fromSnapshot").GetInt32());
        var answer = await FaultBed.AskAsync(second, EvidenceFixtures.EnglishQuestion);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("lease", answer.Body.GetProperty("evidence")[0].GetProperty("docId").GetString());
    }

    [Fact]
    public async Task NewInstance_SnapshotDamaged_LoadsFromTheDocumentRowsInstead_AndSaysWhy()
    {
        await using var bed = await FaultBed.StartAsync();
        var first = await bed.StartAppAsync(new() { ["DocServer__IndexSnapshotInterval"] = "00:00:01" });
        foreach (var (id, text) in new[] { ("lease", EvidenceFixtures.EnglishTenancy), ("boiler", EvidenceFixtures.EnglishBoiler), ("rules", EvidenceFixtures.KoreanLeaveRule) })
        {
            Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(first, id, text));
        }

        var container = new BlobServiceClient(bed.Storage).GetBlobContainerClient(bed.Prefix + "-index");
        await FaultBed.EventuallyAsync(async () => (await container.GetBlobClient("snapshot.json").ExistsAsync()).Value, "the first snapshot");
        bed.Apps[0].Dispose(); // no more snapshots (its extractions would write a whole one over the damage)
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "s-", CancellationToken.None))
        {
            await container.GetBlobClient(blob.Name).UploadAsync(BinaryData.FromString("damaged"), overwrite: true);
        }

        var second = await bed.StartAppAsync(new() { ["DocServer__IndexSnapshotInterval"] = "01:00:00" }, standalone: false);

        await FaultBed.EventuallyAsync(async () => (await FaultBed.AskAsync(second, EvidenceFixtures.EnglishQuestion)).Status == HttpStatusCode.OK, "the second instance ready");
        using var health = JsonDocument.Parse(await second.GetStringAsync("/api/health"));
        var index = health.RootElement.GetProperty("index");
        Assert.Equal((3, 0), (index.GetProperty("documents").GetInt32(), index.GetProperty("fromSnapshot").GetInt32()));
        var answer = await FaultBed.AskAsync(second, EvidenceFixtures.EnglishQuestion);
        Assert.Equal("lease", answer.Body.GetProperty("evidence")[0].GetProperty("docId").GetString());
        Assert.Contains("could not be read, loading the rest from the document rows", bed.Apps[1].Output, StringComparison.Ordinal);
    }

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
    public async Task NewInstance_DocumentChangedAfterTheSnapshot_IsLoadedFromStorageNotFromTheOldSnapshot()
    {
        await using var bed = await FaultBed.StartAsync();
        var first = await bed.StartAppAsync(new() { ["DocServer__IndexSnapshotInterval"] = "00:00:01" });
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(first, "lease", EvidenceFixtures.EnglishTenancy));
        await Task.Delay(TimeSpan.FromSeconds(4));
        bed.Apps[0].Dispose(); // no more snapshots
        using var writer = await bed.StartAppAsync(new() { ["DocServer__IndexSnapshotInterval"] = "01:00:00" });
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(writer, "lease", EvidenceFixtures.EnglishBoiler));

        var second = await bed.StartAppAsync(new() { ["DocServer__IndexSnapshotInterval"] = "01:00:00" }, standalone: false);

        var answer = await FaultBed.AskAsync(second, "How often must the boiler be serviced?");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("boiler", answer.Body.GetProperty("evidence")[0].GetProperty("span").GetString()!, StringComparison.OrdinalIgnoreCase);
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

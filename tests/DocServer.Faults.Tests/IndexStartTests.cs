using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
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
}

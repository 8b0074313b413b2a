using Azure.Data.Tables;
using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Stores;

/// <summary>Documents on Azurite through the SDK: chunks in transactions, a shorter re-ingest drops the old tail, delete removes every part.</summary>
public sealed class DocumentStoreTests
{
    [Fact]
    public async Task Save_250Chunks_StoresEveryChunkInOrder()
    {
        var (store, _) = await NewStoreAsync();

        var saved = await store.SaveAsync("big", "Big", "text/plain", "content", Chunks("big", 250), CancellationToken.None);

        var chunks = await store.ChunksAsync(saved, CancellationToken.None);
        Assert.Equal(250, chunks.Count);
        Assert.Equal(Enumerable.Range(0, 250), chunks.Select(c => c.Index));
        Assert.Equal("chunk 249 of big", chunks[^1].Text);
        Assert.Equal("content", await store.OriginalAsync(saved, CancellationToken.None));
    }

    [Fact]
    public async Task Save_AgainWithFewerChunks_LeavesNoRowOfTheOldTail()
    {
        var (store, prefix) = await NewStoreAsync();
        await store.SaveAsync("doc", "Doc", "text/plain", "old", Chunks("doc", 130), CancellationToken.None);

        var saved = await store.SaveAsync("doc", "Doc", "text/plain", "new", Chunks("doc", 3), CancellationToken.None);

        Assert.Equal(3, (await store.ChunksAsync(saved, CancellationToken.None)).Count);
        Assert.Equal(3, await RawChunkRowsAsync(prefix, "doc"));
        Assert.Equal("new", await store.OriginalAsync(saved, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RemovesTheRowEveryChunkAndTheOriginal_AndAMissingIdIsFalse()
    {
        var (store, prefix) = await NewStoreAsync();
        var saved = await store.SaveAsync("doc", "Doc", "text/plain", "content", Chunks("doc", 120), CancellationToken.None);

        Assert.True(await store.DeleteAsync("doc", CancellationToken.None));

        Assert.Null(await store.GetAsync("doc", CancellationToken.None));
        Assert.Equal(0, await RawChunkRowsAsync(prefix, "doc"));
        Assert.Null(await store.OriginalAsync(saved, CancellationToken.None));
        Assert.False(await store.DeleteAsync("doc", CancellationToken.None));
    }

    [Fact]
    public async Task SaveExtraction_KeepsTheDocumentAndAddsSummaryAndKeywords()
    {
        var (store, _) = await NewStoreAsync();
        var saved = await store.SaveAsync("doc", "Doc", "text/markdown", "content", Chunks("doc", 2), CancellationToken.None);

        Assert.True(await store.SaveExtractionAsync(saved, "About rules.", ["rules", "notice"], CancellationToken.None));

        var document = (await store.ListAsync(CancellationToken.None)).Single();
        Assert.Equal(("Doc", "text/markdown", 2, "About rules."), (document.Title, document.ContentType, document.Chunks, document.Summary));
        Assert.Equal(["rules", "notice"], document.Keywords);
        Assert.True(document.IsExtracted);
        Assert.False(await store.SaveExtractionAsync(saved with { Id = "missing" }, "x", [], CancellationToken.None));
    }

    [Fact]
    public async Task SaveExtraction_RacingWritersOfTheSameVersion_AllAnswerTrue_NoneThrowsTheConflict()
    {
        var (store, _) = await NewStoreAsync();
        var saved = await store.SaveAsync("doc", "Doc", "text/plain", "content", Chunks("doc", 1), CancellationToken.None);

        // Two deliveries of one extraction (at least once) write at the same time: each reads, and all but one lose the ETag race.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => store.SaveExtractionAsync(saved, $"Summary {i}.", [], CancellationToken.None)));

        Assert.All(answers, Assert.True);
        Assert.StartsWith("Summary ", (await store.GetAsync("doc", CancellationToken.None))!.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveExtraction_RacingAReIngest_IsFalseOrWritesTheOldVersion_NeverTheNewOne()
    {
        var (store, _) = await NewStoreAsync();
        var first = await store.SaveAsync("doc", "Doc", "text/plain", "old content", Chunks("doc", 1), CancellationToken.None);

        var extraction = store.SaveExtractionAsync(first, "About the old text.", [], CancellationToken.None);
        var second = await store.SaveAsync("doc", "Doc", "text/plain", "new content", Chunks("doc", 1), CancellationToken.None);
        await extraction;

        var now = (await store.GetAsync("doc", CancellationToken.None))!;
        Assert.Equal(second.Version, now.Version);
        Assert.Null(now.Summary);
        Assert.False(now.IsExtracted);
    }

    [Fact]
    public async Task ListPage_PagesOfTwo_GiveEveryDocumentOnceInIdOrderThenNoContinuation()
    {
        var (store, _) = await NewStoreAsync();
        foreach (var id in new[] { "d3", "d1", "d5", "d2", "d4" })
        {
            await store.SaveAsync(id, id, "text/plain", "content", Chunks(id, 1), CancellationToken.None);
        }

        var seen = new List<string>();
        PageContinuation? next = null;
        var pages = 0;
        do
        {
            var page = await store.ListPageAsync(2, next is null ? null : PageContinuation.TryParse(next.ToString()), CancellationToken.None);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(d => d.Id));
            next = page.Next;
            pages++;
        }
        while (next is not null && pages < 10);

        Assert.Equal(["d1", "d2", "d3", "d4", "d5"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ChangeLog_EverySwitchAndDeleteHasTheNextSequence_AndTheListShowsOnlyDocuments()
    {
        var (store, _) = await NewStoreAsync();
        var first = await store.SaveAsync("a", "A", "text/plain", "one", Chunks("a", 1), CancellationToken.None);
        var second = await store.SaveAsync("a", "A", "text/plain", "two", Chunks("a", 2), CancellationToken.None);
        await store.SaveAsync("b", "B", "text/plain", "three", Chunks("b", 1), CancellationToken.None);
        Assert.True(await store.DeleteAsync("a", CancellationToken.None));

        var changes = await store.ChangeLog.ChangesAsync(0, CancellationToken.None);

        Assert.Equal([(1L, "a", first.Version), (2L, "a", second.Version), (3L, "b", changes[2].Version), (4L, "a", null)], changes.Select(c => (c.Sequence, c.Id, c.Version)));
        Assert.Equal(4, await store.ChangeLog.SequenceAsync(CancellationToken.None));
        Assert.Equal([(3L, "b")], (await store.ChangeLog.ChangesAsync(2, CancellationToken.None)).Take(1).Select(c => (c.Sequence, c.Id)));
        Assert.Equal(["b"], (await store.ListAsync(CancellationToken.None)).Select(d => d.Id));
        Assert.Equal(["b"], (await store.ListPageAsync(10, null, CancellationToken.None)).Items.Select(d => d.Id));
    }

    [Fact]
    public async Task TrimChanges_ThroughASequence_DeletesUpToItButNeverTheNewest_AndTheDocumentsStay()
    {
        var (store, _) = await NewStoreAsync();
        await store.ImportAsync([.. Enumerable.Range(0, 150).Select(i => new DocumentImport($"d{i:D3}", "D", "text/plain", "x", Chunks($"d{i:D3}", 1)))], CancellationToken.None);

        Assert.Equal(120, await store.ChangeLog.TrimAsync(120, CancellationToken.None));
        Assert.Equal(Enumerable.Range(121, 30).Select(i => (long)i), (await store.ChangeLog.ChangesAsync(0, CancellationToken.None)).Select(c => c.Sequence));

        // Two trimmers at once, both past the end: each deletes what is left of the range, and the newest entry stays.
        var both = await Task.WhenAll(store.ChangeLog.TrimAsync(1_000, CancellationToken.None), store.ChangeLog.TrimAsync(1_000, CancellationToken.None));
        Assert.InRange(both.Sum(), 29, 58);
        Assert.Equal([150L], (await store.ChangeLog.ChangesAsync(0, CancellationToken.None)).Select(c => c.Sequence));
        Assert.Equal(150, await store.ChangeLog.SequenceAsync(CancellationToken.None));
        Assert.Equal(150, (await store.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ChangeLog_SixteenIngestsAtOnce_GetSixteenDistinctContiguousSequences()
    {
        var (store, _) = await NewStoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => store.SaveAsync($"d{i}", "D", "text/plain", "x", Chunks($"d{i}", 1), CancellationToken.None)));

        var changes = await store.ChangeLog.ChangesAsync(0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), changes.Select(c => c.Sequence));
        Assert.Equal(16, changes.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task ChangeLog_150IngestsAtOnceFromThreeInstances_EveryOneLands_WithContiguousSequences()
    {
        // Three stores on one prefix are three app instances: they share the sequence row. Ingests of one instance
        // racing each other ran out of ConflictRetry's attempts (a 500 on ingest) before they took turns.
        var (first, prefix) = await NewStoreAsync();
        var clients = (await AzuriteServer.GetAsync()).Clients();
        DocumentStore[] stores = [first, new(clients, prefix, TimeProvider.System), new(clients, prefix, TimeProvider.System)];

        await Task.WhenAll(Enumerable.Range(0, 150).Select(i => stores[i % 3].SaveAsync($"d{i}", "D", "text/plain", "x", Chunks($"d{i}", 1), CancellationToken.None)));

        var changes = await first.ChangeLog.ChangesAsync(0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), changes.Select(c => c.Sequence));
        Assert.Equal(150, changes.Select(c => c.Id).Distinct().Count());
        Assert.Equal(150, (await first.ListAsync(CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d1.")]
    [InlineData("x1.YWJj")]
    [InlineData("d1.!!!not-base64")]
    public void PageContinuation_TextItDidNotWrite_IsRefused(string text) => Assert.Null(PageContinuation.TryParse(text));

    [Fact]
    public async Task Save_EightIngestsOfOneIdAtOnce_LeaveOneWholeVersionAndNoOtherRows()
    {
        var (store, prefix) = await NewStoreAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.SaveAsync(
            "doc", "Doc", "text/plain", $"version {i}", [.. Chunks("doc", 30 + i).Select(c => c with { Text = $"v{i} {c.Text}" })], CancellationToken.None)));

        var current = (await store.GetAsync("doc", CancellationToken.None))!;
        var chunks = await store.ChunksAsync(current, CancellationToken.None);
        var version = current.Chunks - 30;
        Assert.Equal(current.Chunks, chunks.Count);
        Assert.All(chunks, c => Assert.StartsWith($"v{version} ", c.Text, StringComparison.Ordinal));
        Assert.Equal($"version {version}", await store.OriginalAsync(current, CancellationToken.None));
        Assert.Equal(current.Chunks, await RawChunkRowsAsync(prefix, "doc"));
    }

    [Fact]
    public async Task SaveExtraction_OfAVersionReplacedMeanwhile_WritesNothing()
    {
        var (store, _) = await NewStoreAsync();
        var first = await store.SaveAsync("doc", "Doc", "text/plain", "old", Chunks("doc", 2), CancellationToken.None);
        await store.SaveAsync("doc", "Doc", "text/plain", "new", Chunks("doc", 2), CancellationToken.None);

        Assert.False(await store.SaveExtractionAsync(first, "About the old text.", [], CancellationToken.None));

        var current = (await store.GetAsync("doc", CancellationToken.None))!;
        Assert.Null(current.Summary);
        Assert.False(current.IsExtracted);
    }

    [Fact]
    public async Task Import_120NewDocuments_EachListedWithItsChunksOriginalAndOneLogEntry()
    {
        var (store, _) = await NewStoreAsync();
        var documents = Enumerable.Range(0, 120).Select(i => new DocumentImport($"d{i:D3}", $"D{i}", "text/plain", $"original {i}", Chunks($"d{i:D3}", 1 + (i % 4)))).ToList();

        var written = await store.ImportAsync(documents, CancellationToken.None);

        Assert.Equal(120, written.Count);
        var listed = await store.ListAsync(CancellationToken.None);
        Assert.Equal(documents.Select(d => d.Id), listed.Select(d => d.Id));
        foreach (var record in listed.Where((_, i) => i % 17 == 0))
        {
            Assert.Equal(1 + (int.Parse(record.Id[1..], System.Globalization.CultureInfo.InvariantCulture) % 4), (await store.ChunksAsync(record, CancellationToken.None)).Count);
            Assert.Equal($"original {int.Parse(record.Id[1..], System.Globalization.CultureInfo.InvariantCulture)}", await store.OriginalAsync(record, CancellationToken.None));
            Assert.Equal(written.Single(w => w.Id == record.Id), record);
        }

        // One log entry per document, numbered without a gap, and the sequence at the last of them.
        var changes = await store.ChangeLog.ChangesAsync(0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 120).Select(n => (long)n), changes.Select(c => c.Sequence));
        Assert.Equal(documents.Select(d => d.Id).Order(StringComparer.Ordinal), changes.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(120, await store.ChangeLog.SequenceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Import_OfAnIdThatExists_ReplacesItAsSaveWould_AndTheRestOfItsBatchStillLands()
    {
        var (store, prefix) = await NewStoreAsync();
        var old = await store.SaveAsync("b", "B", "text/plain", "old", Chunks("b", 5), CancellationToken.None);

        await store.ImportAsync([new("a", "A", "text/plain", "a", Chunks("a", 2)), new("b", "B", "text/plain", "new", Chunks("b", 2)), new("c", "C", "text/plain", "c", Chunks("c", 1))], CancellationToken.None);

        var current = (await store.GetAsync("b", CancellationToken.None))!;
        Assert.NotEqual(old.Version, current.Version);
        Assert.Equal("new", await store.OriginalAsync(current, CancellationToken.None));
        Assert.Equal(2, await RawChunkRowsAsync(prefix, "b"));
        Assert.Equal(["a", "b", "c"], (await store.ListAsync(CancellationToken.None)).Select(d => d.Id));
        Assert.Equal(4, await store.ChangeLog.SequenceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Import_SameIdTwice_IsRefusedBeforeAnythingIsWritten()
    {
        var (store, _) = await NewStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.ImportAsync([new("a", "A", "text/plain", "a", Chunks("a", 1)), new("a", "A", "text/plain", "a", Chunks("a", 1))], CancellationToken.None));

        Assert.Empty(await store.ListAsync(CancellationToken.None));
        Assert.Equal(0, await store.ChangeLog.SequenceAsync(CancellationToken.None));
    }

    private static List<DocumentChunk> Chunks(string id, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DocumentChunk(id, i, "Title", "Section", $"chunk {i} of {id}"))];

    private static async Task<(DocumentStore Store, string Prefix)> NewStoreAsync()
    {
        var prefix = AzuriteServer.UniqueName("d")[..12];
        var store = new DocumentStore((await AzuriteServer.GetAsync()).Clients(), prefix, TimeProvider.System);
        await store.CreateIfNotExistsAsync(CancellationToken.None);
        return (store, prefix);
    }

    private static async Task<int> RawChunkRowsAsync(string prefix, string id)
    {
        var table = (await AzuriteServer.GetAsync()).RawTable(prefix + "chunks");
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            count += row.PartitionKey == id || row.PartitionKey.StartsWith(id + "@", StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Core.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Benchmarks;

/// <summary>
/// A corpus of documents of 20 chunks seeded straight into storage (DocumentStore.ImportAsync: the rows, chunks,
/// originals and change log ingest writes, in large transactions), then a new app process on it: the time from its start to its first 200 answer, its memory, and the
/// retrieval time of 30 fixed questions (the model answers at once). Then ingest over HTTP with 4 clients.
/// </summary>
internal static class ScaleBenchmark
{
    private const int ChunksPerDocument = 20;
    private const int Questions = 30;

    /// <summary>Above this, the first instance's load from chunk rows is not run (see RunAsync).</summary>
    private const int FromRowsLimit = 40_000;

    public static async Task<int> RunAsync(int[] sizes)
    {
        var azurite = await AzuriteServer.GetAsync().ConfigureAwait(false);
        await using var mlx = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
        mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt)));
        var rows = new List<string[]>();
        foreach (var chunks in sizes)
        {
            var prefix = "sc" + Guid.NewGuid().ToString("N")[..10];
            var seeding = Stopwatch.StartNew();
            var documents = await SeedAsync(azurite, prefix, chunks / ChunksPerDocument, withChunkRows: chunks <= FromRowsLimit).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"seeded {documents.Count} documents ({chunks} chunks) in {seeding.Elapsed.TotalSeconds:F0} s").ConfigureAwait(false);
            var snapshots = new IndexSnapshotStore(azurite.Clients(), prefix);
            AppProcess? first = null;
            if (chunks <= FromRowsLimit)
            {
                // The first instance loads from the chunk rows (no snapshot yet) and writes the first snapshot.
                (first, var firstRow) = await StartInstanceAsync(azurite, mlx, prefix, $"{chunks:N0} chunks ({documents.Count:N0} documents), first instance: from rows").ConfigureAwait(false);
                rows.Add(firstRow);
                var waited = Stopwatch.StartNew();
                while (!await snapshots.ExistsAsync(CancellationToken.None).ConfigureAwait(false) && waited.Elapsed < TimeSpan.FromMinutes(5))
                {
                    await Task.Delay(500).ConfigureAwait(false);
                }

                await Console.Error.WriteLineAsync($"snapshot written {waited.Elapsed.TotalSeconds:F1} s after the first instance was ready").ConfigureAwait(false);
            }
            else
            {
                // Azurite keeps a table as one in-memory collection that it scans for every insert and every partition
                // query, so chunk rows cost the square of the corpus here (5,000 documents took 341 s to seed; not so in
                // Azure). Their documents' rows, originals and change log are seeded; the chunks go into the snapshot an
                // instance would write, which is all a new instance reads: the chunk rows are never read on that path.
                rows.Add([$"{chunks:N0} chunks ({documents.Count:N0} documents), first instance: from rows", "not run: Azurite", "", "", "", ""]);
                await snapshots.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
                var writing = Stopwatch.StartNew();
                var index = new Bm25Index();
                foreach (var document in documents)
                {
                    index.Add(document.Id, Document(int.Parse(document.Id[3..], CultureInfo.InvariantCulture)).Chunks);
                }

                var versions = documents.ToDictionary(d => d.Id, d => new SnapshotDocument(d.Id, d.Version, d.IngestedAt));
                var written = await snapshots.TryWriteAsync(
                    versions.Keys,
                    ids => SnapshotShard.Of(index.Export(ids), id => versions[id]),
                    "bench",
                    CancellationToken.None).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"snapshot written: {written} in {writing.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            }

            var (second, secondRow) = await StartInstanceAsync(azurite, mlx, prefix, "  a new instance: from the snapshot").ConfigureAwait(false);
            rows.Add(secondRow);
            using (var http = new HttpClient { BaseAddress = new Uri(second.Url!), Timeout = TimeSpan.FromMinutes(2) })
            {
                rows.Add(["  ingest over HTTP, 200 documents of 20 chunks, 4 clients (documents/s)", "", F(await IngestRateAsync(http).ConfigureAwait(false), 1), "", "", ""]);
            }

            first?.Dispose();
            second.Dispose();
        }

        Console.WriteLine($"a new app process on a seeded corpus; {Questions} questions x 3, the model answering at once");
        Table.Print(["corpus", "listening (ms)", "first 200 answer (ms)", "retrieval p50 (ms)", "retrieval p95 (ms)", "RSS (MB)"], rows);
        return 0;
    }

    /// <summary>
    /// The index alone, in this process, at each size: how long building it takes against loading its exported segments
    /// (side by side, with the same answers checked), retrieval p50/p95 over the fixed questions, and the managed memory. Shows how retrieval grows with the corpus without seeding storage.
    /// </summary>
    public static int RunInProcess(int[] sizes)
    {
        var rows = new List<string[]>();
        foreach (var chunks in sizes)
        {
            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            var index = new Bm25Index();
            for (var d = 0; d < chunks / ChunksPerDocument; d++)
            {
                var (id, _, documentChunks) = Document(d);
                index.Add(id, documentChunks);
            }

            var build = clock.Elapsed.TotalSeconds;
            var times = new List<double>();
            for (var round = 0; round < 5; round++)
            {
                for (var q = 0; q < Questions; q++)
                {
                    var started = Stopwatch.GetTimestamp();
                    index.Search(Question(q), 10);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            var memory = (GC.GetTotalMemory(forceFullCollection: true) - before) / (1024.0 * 1024.0);

            // What a new instance does with a snapshot: the index exported in 8 segments, then loaded into a new one.
            var ids = Enumerable.Range(0, chunks / ChunksPerDocument).Select(d => $"doc{d:D6}").ToList();
            var segments = ids.Chunk((ids.Count + 7) / 8).Select(index.Export).ToList();
            clock.Restart();
            var loaded = new Bm25Index();
            segments.ForEach(loaded.AddSegment);
            var load = clock.Elapsed.TotalSeconds;
            var same = Enumerable.Range(0, Questions).All(q => index.Search(Question(q), 10).Select(r => (r.ChunkId, r.Score)).SequenceEqual(loaded.Search(Question(q), 10).Select(r => (r.ChunkId, r.Score))));
            rows.Add([$"{chunks:N0}", F(build, 1), F(load, 2), F(build / load, 1), same ? "yes" : "NO", F(Percentiles.Of(times, 50), 2), F(Percentiles.Of(times, 95), 2), F(memory)]);
            GC.KeepAlive(index);
        }

        Console.WriteLine($"the index alone, in-process: {Questions} questions x 5, top 10; load = adding the index's own export in 8 segments");
        Table.Print(["chunks", "build (s)", "load segments (s)", "build / load", "same top 10", "retrieval p50 (ms)", "retrieval p95 (ms)", "managed memory (MB)"], rows);
        return 0;
    }

    /// <summary>Starts an app process: when it listens, when it gives its first 200 answer, its memory, retrieval times.</summary>
    private static async Task<(AppProcess App, string[] Row)> StartInstanceAsync(AzuriteServer azurite, ScriptedMlxServer mlx, string prefix, string label)
    {
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var started = Stopwatch.StartNew();
        var settings = AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, prefix);
        settings["Logging__LogLevel__DocServer.Functions.Documents"] = "Information";
        var app = AppProcess.Start(settings, url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        await UntilAsync(app, async () => (await TryGetAsync(http, "/api/health").ConfigureAwait(false)) is not null).ConfigureAwait(false);
        var listeningMs = started.Elapsed.TotalMilliseconds;
        if (!await UntilAsync(app, async () => (await TryAskAsync(http, Question(0)).ConfigureAwait(false)) is not null).ConfigureAwait(false))
        {
            // Reported, not hidden: what the app said while it did not become ready.
            var log = Path.Combine(Path.GetTempPath(), $"docserver-scale-{Guid.NewGuid():N}.log");
            await File.WriteAllTextAsync(log, app.Output).ConfigureAwait(false);
            var said = string.Join('\n', app.Output.Split('\n').Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(20));
            var why = app.HasExited ? $"the app exited with {app.ExitCode}" : "within 5 minutes";
            await Console.Error.WriteLineAsync($"{label}: no 200 answer ({why}); what the app said is in {log}, ending:\n{said}").ConfigureAwait(false);
            return (app, [label, F(listeningMs), "not ready in 5 min", "", "", ""]);
        }

        var readyMs = started.Elapsed.TotalMilliseconds;
        await Console.Error.WriteLineAsync($"{label}: {app.Output.Split('\n').FirstOrDefault(l => l.Contains("search index ready", StringComparison.Ordinal))?.Trim()}").ConfigureAwait(false);
        var rss = app.ResidentMegabytes();
        var retrieval = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            for (var q = 0; q < Questions; q++)
            {
                var answer = (await TryAskAsync(http, Question(q)).ConfigureAwait(false))!.Value;
                retrieval.Add(answer.GetProperty("timings").GetProperty("retrievalMs").GetDouble());
            }
        }

        return (app, [label, F(listeningMs), F(readyMs), F(Percentiles.Of(retrieval, 50), 2), F(Percentiles.Of(retrieval, 95), 2), F(rss)]);
    }

    /// <summary>
    /// The corpus through DocumentStore.ImportAsync, 1,000 documents at a time: rows, chunks, originals and change log as
    /// ingest writes them; without <paramref name="withChunkRows"/>, no chunk rows (see RunAsync).
    /// </summary>
    private static async Task<IReadOnlyList<DocumentRecord>> SeedAsync(AzuriteServer azurite, string prefix, int documents, bool withChunkRows)
    {
        var store = new DocumentStore(azurite.Clients(), prefix, TimeProvider.System);
        await store.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
        var records = new List<DocumentRecord>(documents);
        foreach (var batch in Enumerable.Range(0, documents).Chunk(1000))
        {
            records.AddRange(await store.ImportAsync(
                [.. batch.Select(d => Document(d)).Select(d => new DocumentImport(d.Id, d.Id, "text/plain", d.Text, withChunkRows ? d.Chunks : []))],
                CancellationToken.None).ConfigureAwait(false));
        }

        return records;
    }

    /// <summary>A document of 20 chunks: the fixtures' Korean and English sentences with document-specific words.</summary>
    private static (string Id, string Text, List<DocumentChunk> Chunks) Document(int d)
    {
        var sentences = Sentences.Value;
        var random = new Random(d);
        var id = $"doc{d:D6}";
        var chunks = new List<DocumentChunk>(ChunksPerDocument);
        for (var c = 0; c < ChunksPerDocument; c++)
        {
            var text = string.Join(". ", Enumerable.Range(0, 3).Select(_ => $"{sentences[random.Next(sentences.Length)]} 항목{random.Next(20_000)} item{random.Next(20_000)}"));
            chunks.Add(new DocumentChunk(id, c, id, null, text));
        }

        return (id, string.Join("\n\n", chunks.Select(c => c.Text)), chunks);
    }

    private static readonly Lazy<string[]> Sentences = new(() =>
        (EvidenceFixtures.KoreanLeaveRule + " " + EvidenceFixtures.KoreanDefinitions + " " + EvidenceFixtures.KoreanPenalties + " " + EvidenceFixtures.EnglishTenancy + " " + EvidenceFixtures.EnglishBoiler)
            .Split([". ", "다. "], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The bench's fixed questions: the fixtures' questions and document-specific words, in both languages.</summary>
    private static string Question(int q) => (q % 3) switch
    {
        0 => $"{EvidenceFixtures.KoreanQuestion} 항목{q * 611 % 20_000}",
        1 => $"{EvidenceFixtures.EnglishQuestion} item{q * 733 % 20_000}",
        _ => $"보일러 압력 boiler pressure item{q * 97 % 20_000}",
    };

    private static async Task<double> IngestRateAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(900_000, 200), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (d, ct) =>
        {
            var (id, text, _) = Document(d);
            using var response = await http.PostAsJsonAsync("/api/documents", new { id, content = text, contentType = "text" }, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }).ConfigureAwait(false);
        return 200 / clock.Elapsed.TotalSeconds;
    }

    private static async Task<JsonElement?> TryAskAsync(HttpClient http, string question)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/api/ask", new { question }).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            return json.RootElement.Clone();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            return await http.GetStringAsync(path).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>True once <paramref name="condition"/> holds; false after 5 minutes, or at once if the app exited.</summary>
    private static async Task<bool> UntilAsync(AppProcess app, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5) && !app.HasExited)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return false;
    }

    private static string F(double value, int digits = 0) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

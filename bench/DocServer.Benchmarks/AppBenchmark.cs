using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocServer.Core.Documents;
using DocServer.Testing;

namespace DocServer.Benchmarks;

/// <summary>
/// The app as a real process on Azurite, with a scripted model that answers at once: start-up time,
/// memory idle and after indexing, ask overhead excluding the model at 1k and 20k chunks; and the
/// BM25 query alone, in-process, at 20k chunks.
/// </summary>
internal static class AppBenchmark
{
    private const int Asks = 200;
    private const int ChunksPerDocument = 20;

    public static async Task<int> RunAsync()
    {
        var azurite = await AzuriteServer.GetAsync().ConfigureAwait(false);
        await using var mlx = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
        mlx.ReplyWith(prompt => MlxReply.Text(Reply(prompt)));
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var started = Stopwatch.StartNew();
        using var app = AppProcess.Start(AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "b" + Guid.NewGuid().ToString("N")[..12]), url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        await app.WaitUntilUpAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        var startup = started.Elapsed.TotalMilliseconds;
        await Task.Delay(1000).ConfigureAwait(false);
        var idleMb = app.ResidentMegabytes();
        var rows = new List<string[]>();
        rows.Add(["start-up to first 200 (ms)", F(startup, 0)]);
        rows.Add(["memory idle, RSS (MB)", F(idleMb, 0)]);

        var corpus = Corpus(20_000);
        var first = FirstChunks(corpus, 1_000);
        await IngestAsync(http, corpus.Take(first)).ConfigureAwait(false);
        var (p50, p95) = await AskOverheadAsync(http).ConfigureAwait(false);
        rows.Add([$"ask overhead excluding the LLM, {corpus.Take(first).Sum(d => d.Chunks)} chunks, p50 (ms)", F(p50, 1)]);
        rows.Add([$"ask overhead excluding the LLM, {corpus.Take(first).Sum(d => d.Chunks)} chunks, p95 (ms)", F(p95, 1)]);

        await IngestAsync(http, corpus.Skip(first)).ConfigureAwait(false);
        (p50, p95) = await AskOverheadAsync(http).ConfigureAwait(false);
        var total = corpus.Sum(d => d.Chunks);
        rows.Add([$"ask overhead excluding the LLM, {total} chunks, p50 (ms)", F(p50, 1)]);
        rows.Add([$"ask overhead excluding the LLM, {total} chunks, p95 (ms)", F(p95, 1)]);
        rows.Add([$"memory after indexing {total} chunks, RSS (MB)", F(app.ResidentMegabytes(), 0)]);
        rows.Add([$"BM25 query alone, {total} chunks, in-process, p50 (ms)", F(Bm25QueryP50(corpus), 2)]);
        rows.Add(["single-inference violations at the model", mlx.Violations.ToString(CultureInfo.InvariantCulture)]);

        Console.WriteLine($"function app, standalone process on Azurite, model answering at once ({Asks} asks per row)");
        Table.Print(["measure", "value"], rows);
        return 0;
    }

    /// <summary>
    /// This build's app and another build's (the folder holding its DocServer.Functions.dll), each a process on
    /// its own storage prefix with the same 1k-chunk corpus, asked in alternating rounds so that the machine's
    /// drift falls on both alike: the ask's overhead excluding the model, and the ratio.
    /// </summary>
    public static async Task<int> CompareAsync(string baselineFolder)
    {
        var azurite = await AzuriteServer.GetAsync().ConfigureAwait(false);
        await using var mlx = await ScriptedMlxServer.StartAsync().ConfigureAwait(false);
        mlx.ReplyWith(prompt => MlxReply.Text(Reply(prompt)));
        var corpus = Corpus(1_000);
        var apps = new List<(string Name, AppProcess Process, HttpClient Http, List<double> Overheads)>();
        foreach (var (name, folder) in new[] { ("this build", AppContext.BaseDirectory), ("baseline", Path.GetFullPath(baselineFolder)) })
        {
            var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
            var app = AppProcess.StartPublished(folder, AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "c" + Guid.NewGuid().ToString("N")[..12]), url);
            await app.WaitUntilUpAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
            await IngestAsync(http, corpus).ConfigureAwait(false);
            await AskOverheadAsync(http).ConfigureAwait(false); // warm-up, and the index caught up
            apps.Add((name, app, http, []));
        }

        string[] questions = [EvidenceFixtures.KoreanQuestion, EvidenceFixtures.EnglishQuestion, "보일러 압력이 낮으면 어떻게 하나요", "deposit returned within days"];
        for (var round = 0; round < 20; round++)
        {
            // Each goes first in every other round.
            foreach (var app in round % 2 == 0 ? apps : Enumerable.Reverse(apps))
            {
                for (var i = 0; i < Asks / 10; i++)
                {
                    var timings = await AskAsync(app.Http, questions[i % questions.Length]).ConfigureAwait(false);
                    app.Overheads.Add(timings.GetProperty("totalMs").GetDouble() - timings.GetProperty("evidenceLlmMs").GetDouble() - timings.GetProperty("synthesisLlmMs").GetDouble());
                }
            }
        }

        var (now, before) = (apps[0].Overheads, apps[1].Overheads);
        Console.WriteLine($"ask overhead excluding the model, {corpus.Sum(d => d.Chunks)} chunks, {now.Count} asks each in 20 alternating rounds; baseline: {baselineFolder}");
        Table.Print(["measure", "this build", "baseline", "this / baseline"],
        [
            ["p50 (ms)", F(Percentiles.Of(now, 50), 2), F(Percentiles.Of(before, 50), 2), F(Percentiles.Of(now, 50) / Percentiles.Of(before, 50), 3)],
            ["p95 (ms)", F(Percentiles.Of(now, 95), 2), F(Percentiles.Of(before, 95), 2), F(Percentiles.Of(now, 95) / Percentiles.Of(before, 95), 3)],
            ["mean (ms)", F(now.Average(), 2), F(before.Average(), 2), F(now.Average() / before.Average(), 3)],
            ["single-inference violations", mlx.Violations.ToString(CultureInfo.InvariantCulture), string.Empty, string.Empty],
        ]);
        foreach (var app in apps)
        {
            app.Http.Dispose();
            app.Process.Dispose();
        }

        return 0;
    }

    private static async Task<(double P50, double P95)> AskOverheadAsync(HttpClient http)
    {
        string[] questions = [EvidenceFixtures.KoreanQuestion, EvidenceFixtures.EnglishQuestion, "보일러 압력이 낮으면 어떻게 하나요", "deposit returned within days"];
        // Warm up for long enough that tiered JIT has recompiled the hot paths before timing.
        for (var (warm, i) = (Stopwatch.StartNew(), 0); warm.Elapsed < TimeSpan.FromSeconds(8); i++)
        {
            await AskAsync(http, questions[i % questions.Length]).ConfigureAwait(false);
        }

        var overheads = new List<double>();
        for (var i = 0; i < Asks; i++)
        {
            var timings = await AskAsync(http, questions[i % questions.Length]).ConfigureAwait(false);
            overheads.Add(timings.GetProperty("totalMs").GetDouble() - timings.GetProperty("evidenceLlmMs").GetDouble() - timings.GetProperty("synthesisLlmMs").GetDouble());
        }

        return (Percentiles.Of(overheads, 50), Percentiles.Of(overheads, 95));
    }

    private static async Task<JsonElement> AskAsync(HttpClient http, string question)
    {
        using var response = await http.PostAsJsonAsync("/api/ask", new { question }).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        return json.RootElement.GetProperty("timings").Clone();
    }

    private static async Task IngestAsync(HttpClient http, IEnumerable<(string Id, string Text, int Chunks)> documents)
    {
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (document, ct) =>
        {
            using var response = await http.PostAsJsonAsync("/api/documents", new { id = document.Id, content = document.Text, contentType = "text" }, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Synthetic documents of about 20 chunks each, mixing the fixtures' Korean and English sentences with
    /// document-specific words, until they hold <paramref name="chunks"/> chunks.
    /// </summary>
    private static List<(string Id, string Text, int Chunks)> Corpus(int chunks)
    {
        var sentences = (EvidenceFixtures.KoreanLeaveRule + " " + EvidenceFixtures.KoreanDefinitions + " " + EvidenceFixtures.KoreanPenalties + " " + EvidenceFixtures.EnglishTenancy + " " + EvidenceFixtures.EnglishBoiler)
            .Split([". ", "다. "], StringSplitOptions.RemoveEmptyEntries);
        var random = new Random(20261121);
        var corpus = new List<(string Id, string Text, int Chunks)>();
        for (var total = 0; total < chunks;)
        {
            var id = $"doc{corpus.Count:D4}";
            var text = new StringBuilder();
            var count = 0;
            while (count < Math.Min(ChunksPerDocument, chunks - total))
            {
                text.Append(sentences[random.Next(sentences.Length)]).Append(CultureInfo.InvariantCulture, $" 항목{random.Next(5000)} item{random.Next(5000)}. ");
                count = DocumentChunker.Chunk(id, id, text.ToString(), markdown: false).Count;
            }

            corpus.Add((id, text.ToString(), count));
            total += count;
        }

        return corpus;
    }

    /// <summary>How many of the first documents it takes to hold <paramref name="chunks"/> chunks.</summary>
    private static int FirstChunks(List<(string Id, string Text, int Chunks)> corpus, int chunks)
    {
        var (documents, total) = (0, 0);
        while (total < chunks)
        {
            total += corpus[documents++].Chunks;
        }

        return documents;
    }

    private static double Bm25QueryP50(List<(string Id, string Text, int Chunks)> corpus)
    {
        var index = new Bm25Index();
        foreach (var (id, text, _) in corpus)
        {
            index.Add(id, DocumentChunker.Chunk(id, id, text, markdown: false));
        }

        var times = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var sw = Stopwatch.StartNew();
            index.Search(i % 2 == 0 ? EvidenceFixtures.KoreanQuestion : EvidenceFixtures.EnglishQuestion, 10);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.Error.WriteLine($"in-process index: {index.ChunkCount} chunks");
        return Percentiles.Of(times, 50);
    }

    private static string Reply(string prompt) => prompt.Contains("Candidate passages", StringComparison.Ordinal)
        ? "{\"items\": []}"
        : "From your documents [1].";

    private static string F(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Core.Prompts;
using DocServer.Core.Text;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Benchmarks;

/// <summary>
/// CPU and allocation of one extraction excluding the model (issue #3 target: p50 ≤ 1 ms), with six
/// 1200-char candidates in Korean and in English; and the query-centred window on its own.
/// </summary>
internal static class EvidenceBenchmark
{
    private const int Iterations = 3000;
    /// <summary>Long enough for tiered JIT to finish recompiling the hot paths before anything is timed.</summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1.5);

    public static async Task<int> RunAsync()
    {
        var cases = new[]
        {
            Case("Korean", EvidenceFixtures.KoreanQuestion, EvidenceFixtures.KoreanLeaveRule + " " + EvidenceFixtures.KoreanDefinitions,
                EvidenceFixtures.KoreanProcedureSentence, "연차휴가를 사용하려는 직원은 사용 예정일 3일 전까지 전자결재 시스템에서 휴가신청서를 작성해 팀장 승인을 받아야 함"),
            Case("English", EvidenceFixtures.EnglishQuestion, EvidenceFixtures.EnglishTenancy,
                EvidenceFixtures.EnglishNoticeSentence, "either party can end this tenancy after the fixed term by giving the other at least 2 months notice in writing"),
        };

        var rows = new List<string[]>();
        foreach (var c in cases)
        {
            var rules = new EvidenceRules(new EvidenceOptions());
            var prompt = PromptTemplate.Parse("bench", "{query}\n{numbered_candidates}", EvidenceExtractor.QueryPlaceholder, EvidenceExtractor.CandidatesPlaceholder);
            var pipeline = Measure(() => Pipeline(rules, prompt, c));
            var window = Measure(() => QueryWindow.Find(FoldedText.Of(c.Results[0].Text), QueryTokens.Of(c.Query), 1200));
            var extractor = new EvidenceExtractor(Calls(), new ModelPool(new CannedModel(c.Reply)), prompt, new EvidenceOptions(), NullLogger<EvidenceExtractor>.Instance);
            var endToEnd = await MeasureAsync(() => extractor.ExtractAsync(c.Query, c.Results, null, CancellationToken.None)).ConfigureAwait(false);
            rows.Add([$"{c.Name}: extraction rules, no model, no gate", Us(pipeline.P50), Us(pipeline.P95), Kb(pipeline.Bytes)]);
            rows.Add([$"{c.Name}: ExtractAsync, in-memory gate, model answers at once", Us(endToEnd.P50), Us(endToEnd.P95), Kb(endToEnd.Bytes)]);
            rows.Add([$"{c.Name}: query-centred window alone ({c.Results[0].Text.Length} chars -> 1200)", Us(window.P50), Us(window.P95), Kb(window.Bytes)]);
        }

        Console.WriteLine($"evidence extraction excluding the LLM: 6 candidates, {Iterations} runs each (target: extraction p50 <= 1000 us)");
        Table.Print(["case", "p50 (us)", "p95 (us)", "allocated (KB)"], rows);
        return 0;
    }

    private static void Pipeline(EvidenceRules rules, PromptTemplate prompt, BenchCase c)
    {
        var tokens = QueryTokens.Of(c.Query);
        var candidates = rules.SelectCandidates(c.Results, tokens);
        _ = prompt.Render(new Dictionary<string, string> { ["query"] = c.Query, ["numbered_candidates"] = EvidenceRules.NumberedCandidates(candidates) });
        var reply = EvidenceReplyParser.TryParse(c.Reply)!;
        var accepted = rules.AcceptModelItems(reply, candidates, tokens);
        var supplement = rules.Supplement(accepted.Items, candidates, tokens, accepted.Used);
        _ = EvidenceRules.Order(accepted.Items.Concat(supplement), c.Results);
    }

    private static BenchCase Case(string name, string query, string text, string exactSpan, string editedSpan)
    {
        // Six candidates from three documents, each chunk longer than the 1200-char window.
        var results = Enumerable.Range(0, 6)
            .Select(i => new SearchResult($"doc{i / 2}", $"chunk{i}", $"Document {i / 2}", null, text + " " + i.ToString(CultureInfo.InvariantCulture), 0.8 - (i * 0.05), 0.9 - (i * 0.05)))
            .ToList();
        var reply = JsonSerializer.Serialize(new
        {
            items = new object[]
            {
                new { n = 1, span = exactSpan, relevance = 0.95 },
                new { n = 3, span = editedSpan, relevance = 0.8 },
            },
        });
        return new BenchCase(name, query, results, "<think>checking</think>\n```json\n" + reply + "\n```");
    }

    private static GatedModelCalls Calls() =>
        new(new GateClient(new InMemoryGateStore(BenchCatalog, TimeProvider.System), BenchCatalog, TimeProvider.System, NullLogger<GateClient>.Instance), TimeProvider.System);

    private static readonly GateCatalog BenchCatalog = new(new Dictionary<string, GatePolicy> { ["bench"] = GatePolicy.Default });

    private static (double P50, double P95, double Bytes) Measure(Action action)
    {
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < Warmup;)
        {
            action();
        }

        var times = new double[Iterations];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        var bytes = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
        return (Percentiles.Of(times, 50), Percentiles.Of(times, 95), bytes);
    }

    private static async Task<(double P50, double P95, double Bytes)> MeasureAsync(Func<Task> action)
    {
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < Warmup;)
        {
            await action().ConfigureAwait(false);
        }

        var times = new double[Iterations];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action().ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        var bytes = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / Iterations;
        return (Percentiles.Of(times, 50), Percentiles.Of(times, 95), bytes);
    }

    private static string Us(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Kb(double bytes) => (bytes / 1024).ToString("F1", CultureInfo.InvariantCulture);

    private sealed record BenchCase(string Name, string Query, IReadOnlyList<SearchResult> Results, string Reply);

    /// <summary>Answers at once with a fixed reply: the model's time is what this benchmark leaves out.</summary>
    private sealed class CannedModel(string reply) : ILanguageModel
    {
        public string Endpoint => "bench";

        public string Model => "test-model";

        public Task<string> CompleteAsync(LanguageModelRequest request, CancellationToken cancellationToken) => Task.FromResult(reply);
    }
}

using System.Net;
using System.Net.Http.Json;
using DocServer.Core.Gates;
using DocServer.Functions.Ask;
using DocServer.Functions.Extraction;
using DocServer.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DocServer.Functions.Tests;

public sealed class AskTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ask_BeforeTheIndexHasLoaded_Is503StillStartingWithRetryAfter_PlainAndStreamed_AndNoModelIsAsked()
    {
        // Storage that refuses: the index can never finish its first load.
        await using var mlx = await ScriptedMlxServer.StartAsync();
        var settings = AppSettings.AsConfiguration(AppSettings.For($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteServer.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{LoopbackPorts.Free()}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{LoopbackPorts.Free()}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{LoopbackPorts.Free()}/devstoreaccount1", mlx.BaseUrl, "n" + Guid.NewGuid().ToString("N")[..12]));
        await using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        using var client = factory.CreateClient();

        var plain = await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion });
        var streamed = await client.PostAsJsonAsync("/api/ask/stream", new { question = EvidenceFixtures.EnglishQuestion });

        foreach (var response in new[] { plain, streamed })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            Assert.Contains("still loading its search index", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(mlx.Requests);
    }

    [Fact]
    public async Task TwentyThreeConcurrentAsks_ZeroViolationsZeroErrorsEveryCitationExists()
    {
        // The seed's failure: 23 concurrent requests to one single-inference host, 22 timed out.
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:AskWaitBudget"] = "00:01:00" });
        app.ModelAnswersSensibly(TimeSpan.FromMilliseconds(20));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "rules", content = EvidenceFixtures.KoreanLeaveRule, contentType = "text" });
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        string[] questions = [EvidenceFixtures.KoreanQuestion, EvidenceFixtures.EnglishQuestion];

        var responses = await Task.WhenAll(Enumerable.Range(0, 23).Select(i => Task.Run(() => client.PostAsJsonAsync("/api/ask", new { question = questions[i % 2] }))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(AppFactory.ReadAsync<AskResponse>));
        Assert.Equal(0, app.Mlx.Violations);
        Assert.Equal(1, app.Mlx.MostAtOnce);
        Assert.Equal(46, app.Mlx.Requests.Count);
        Assert.All(answers, a =>
        {
            Assert.True(a.Found && !a.Extractive, $"fell back: {a.SkipReasons}");
            Assert.NotEmpty(a.Citations);
            Assert.All(a.Citations, n => Assert.InRange(n, 1, a.Evidence.Count));
        });
        output.WriteLine($"23 asks: evidence gate wait p50 {Median(answers.Select(a => a.Timings.EvidenceGateWaitMs)):F0} ms, max {answers.Max(a => a.Timings.EvidenceGateWaitMs):F0} ms");
    }

    [Fact]
    public async Task E15_TheFullWindowIsReturnedForDisplay_ButOnlyTheSpansReachTheSynthesisPrompt()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        var answer = await AppFactory.ReadAsync<AskResponse>(await client.PostAsJsonAsync("/api/ask", new { question = "What is the notice period for ending the tenancy?" }));

        var synthesis = Assert.Single(app.Mlx.Requests, r => SensibleModel.IsSynthesis(r.Prompt)).Prompt;
        Assert.NotEmpty(answer.Evidence);
        foreach (var item in answer.Evidence)
        {
            Assert.Contains(item.Span, synthesis, StringComparison.Ordinal);
            // Text of the window outside the span: shown to the reader, never given to the model to write from.
            var outside = item.FullWindow.Replace(item.Span, "\n", StringComparison.Ordinal).Split('\n').Select(p => p.Trim()).Where(p => p.Length >= 20).ToList();
            Assert.NotEmpty(outside);
            Assert.All(outside, passage => Assert.DoesNotContain(passage, synthesis, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task G4_QueuedAsksAreServedBeforeQueuedBackgroundWork()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:AskWaitBudget"] = "00:01:00", ["DocServer:BackgroundEndpoints"] = "macmini" });
        app.ModelAnswersSensibly(TimeSpan.FromMilliseconds(30));
        using var client = app.CreateClient();
        // Stored and indexed without an extraction orchestration: this process runs no activities, so an
        // orchestration's turn at the gate would go unclaimed for its claim window; the background work is the test's.
        var store = app.Services.GetRequiredService<DocServer.Storage.Documents.DocumentStore>();
        var index = app.Services.GetRequiredService<DocServer.Functions.Documents.DocumentIndex>();
        for (var i = 0; i < 4; i++)
        {
            var chunks = DocServer.Core.Documents.DocumentChunker.Chunk($"doc{i}", $"doc{i}", EvidenceFixtures.EnglishTenancy, markdown: false);
            index.Put(await store.SaveAsync($"doc{i}", $"doc{i}", "text/plain", EvidenceFixtures.EnglishTenancy, chunks, CancellationToken.None), chunks);
        }

        var gates = app.Services.GetRequiredService<GateClient>();
        var extraction = app.Services.GetRequiredService<DocumentExtraction>();
        var holder = (await gates.AcquireAsync("macmini", GatePriority.Background, TimeSpan.FromSeconds(5), CancellationToken.None)).Lease!;
        var requests = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i => new ExtractionRequest($"doc{i}", (await store.GetAsync($"doc{i}", CancellationToken.None))!.Version!)));
        var background = requests.Select(r => extraction.RunAsync(r, CancellationToken.None)).ToList();
        await WaitForAsync(gates, s => s.WaitingBackground == 4);
        var asks = Enumerable.Range(0, 3).Select(_ => client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion })).ToList();
        await WaitForAsync(gates, s => s.WaitingForeground == 3);

        await holder.DisposeAsync();
        var answers = await Task.WhenAll((await Task.WhenAll(asks)).Select(AppFactory.ReadAsync<AskResponse>));
        await Task.WhenAll(background);

        // Every ask call (evidence, then synthesis, which queues again) came before any background call.
        var kinds = app.Mlx.Requests.Select(r => r.Prompt.Contains("Summarise one document", StringComparison.Ordinal) ? 'B' : 'F').ToList();
        Assert.Equal("FFFFFFBBBB", string.Concat(kinds));
        Assert.All(answers, a => Assert.DoesNotContain("fallback", a.SkipReasons.Evidence ?? string.Empty, StringComparison.Ordinal));
        output.WriteLine($"foreground gate wait behind a background holder and 4 queued background calls: max {answers.Max(a => a.Timings.EvidenceGateWaitMs + a.Timings.SynthesisGateWaitMs):F0} ms");
    }

    [Fact]
    public async Task AsyncAsk_Answers202WithAStatusUrlThatLaterHoldsTheAnswer()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true" });
        app.ModelAnswersSensibly(TimeSpan.FromMilliseconds(200));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        var accepted = await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion, async = true });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await AppFactory.ReadAsync<AskAccepted>(accepted);
        Assert.Equal(job.StatusUrl, accepted.Headers.Location!.ToString());
        HttpResponseMessage poll;
        var polls = 0;
        do
        {
            await Task.Delay(100);
            poll = await client.GetAsync(job.StatusUrl);
            polls++;
        }
        while (poll.StatusCode == HttpStatusCode.Accepted && polls < 200);

        Assert.True(polls > 1, "the first poll came before the answer was ready");
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var answer = await AppFactory.ReadAsync<AskResponse>(poll);
        Assert.True(answer.Found);
        Assert.Equal(EvidenceFixtures.EnglishQuestion, answer.Question);
    }

    [Fact]
    public async Task AsyncAsk_RunsAsAnOrchestrationOnce_AndTheSweepPurgesItWhenExpired()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true", ["DocServer:AsyncResultTtl"] = "00:00:03" });
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        await WaitUntilExtractedAsync(client, "tenancy");
        var before = app.Mlx.Requests.Count;

        var job = await AppFactory.ReadAsync<AskAccepted>(await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion, async = true }));
        var instance = await app.WaitForInstanceAsync(job.Id, TimeSpan.FromSeconds(60));

        // One orchestration, one run of the pipeline: evidence and synthesis, two model calls.
        Assert.Equal(Durable.DurableStatus.Completed, instance.Status);
        Assert.Equal(before + 2, app.Mlx.Requests.Count);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(job.StatusUrl)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(job.StatusUrl)).StatusCode);
        await app.Function<Gates.GateFunctions>().Sweep(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Null(await app.Services.GetRequiredService<Durable.IDurableWork>().GetInstanceAsync(job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task NoModelReachable_AnswerIsExtractiveFromTheEvidenceAndSaysSo()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Endpoints:macmini:Url"] = ScriptedMlxServer.RefusedUrl().ToString() });
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        var answer = await AppFactory.ReadAsync<AskResponse>(await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion }));

        Assert.True(answer.Extractive);
        Assert.StartsWith("The language model is not available", answer.Answer, StringComparison.Ordinal);
        Assert.Contains("two months' notice", answer.Answer, StringComparison.Ordinal);
        Assert.Equal("llm_error_fallback_rule", answer.SkipReasons.Evidence);
        Assert.Equal("synthesis_error", answer.SkipReasons.Synthesis);
    }

    private static async Task WaitUntilExtractedAsync(HttpClient client, string id)
    {
        for (var i = 0; i < 600; i++)
        {
            if ((await client.GetFromJsonAsync<DocServer.Storage.Documents.DocumentRecord>($"/api/documents/{id}", AppFactory.JsonOptions))?.Summary is not null)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"document {id} was not extracted within 60 s");
    }

    private static async Task WaitForAsync(GateClient gates, Func<GateStatus, bool> condition)
    {
        for (var i = 0; i < 500; i++)
        {
            if (condition(await gates.GetStatusAsync("macmini", CancellationToken.None)))
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("the gate never reached the expected queue");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Functions.Digests;
using DocServer.Functions.Extraction;
using Microsoft.Azure.Functions.Worker;
using DocServer.Functions.Documents;
using DocServer.Functions.Hosting;
using DocServer.Functions.Telemetry;
using DocServer.Storage.Documents;
using DocServer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Tests;

/// <summary>
/// Timer and queue functions called in-process as the isolated worker calls them (their [Function] methods with
/// the SDK's types: a queue message string, a TimerInfo), and the standalone queue listener. A function that
/// throws is a failed invocation: the host retries the message and poisons it after maxDequeueCount.
/// </summary>
public sealed class FunctionInvocationTests
{
    [Fact]
    public async Task Extract_QueueInvocation_StoresSummaryAndKeywords()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        await app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None);
        var document = await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions);
        Assert.Equal("A document about rules.", document!.Summary);
        Assert.Equal(["rules", "notice"], document.Keywords);
        Assert.Contains(app.Mlx.Requests, r => r.Prompt.Contains("Summarise one document", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extract_SecondDeliveryOfTheSameVersion_CallsNoModel_ButAReIngestedVersionIsExtractedAgain()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        
        await app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None);
        await app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None);
        var afterTwoDeliveries = app.Mlx.Requests.Count;
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy + " Amended.", contentType = "text" });
        Assert.Null((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
        await app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None);

        Assert.Equal(1, afterTwoDeliveries);
        Assert.Equal(2, app.Mlx.Requests.Count);
        Assert.Equal("A document about rules.", (await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task Extract_ReplyWithReasoningBeforeTheJson_StillStoresTheSummary()
    {
        await using var app = await AppFactory.StartAsync();
        app.Mlx.Enqueue(MlxReply.Text("<think>The user wants {summary, keywords}.</think>\n```json\n{\"summary\": \"Tenancy terms.\", \"keywords\": [\"notice\"]}\n```"));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        await app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None);
        Assert.Equal("Tenancy terms.", (await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task Extract_HealthyModelGivesNoSummary_Answers500SoTheHostRetries()
    {
        await using var app = await AppFactory.StartAsync();
        app.Mlx.ReplyWith(_ => MlxReply.Text("I would rather not summarise this."));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        // The invocation fails, so the host tries the message again (and poisons it after maxDequeueCount).
        await Assert.ThrowsAnyAsync<Exception>(() => app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None));
        Assert.Null((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task G13_Extract_HostAnswers5xx_IsDeferredNotFailed_AndComesBackAfterTheProbeInterval()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:ProbeInterval"] = "00:00:03" });
        app.Mlx.ReplyWith(_ => MlxReply.Status(503, "{\"error\":\"loading model\"}"));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        var storage = app.Services.GetRequiredService<Configuration.StorageResources>();
        var queued = Assert.Single(await storage.Extract.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        await storage.Extract.DeleteAsync(queued, CancellationToken.None);

        await app.Function<ExtractFunction>().Extract("tenancy", CancellationToken.None);
        Assert.Empty(await storage.Extract.ReceiveAsync(1, TimeSpan.FromSeconds(1), CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var deferred = Assert.Single(await storage.Extract.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        // The deferred message is the same work, carrying the trace it came from.
        Assert.Equal("tenancy", TracedMessage.Unwrap(deferred.Text).Body);
        Assert.Equal(1, deferred.DequeueCount);
        Assert.Null((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task Digest_NextSummaryCouldOutlastFunctionTimeout_StopsCheckpointed_AndTheNextRunFinishesIt()
    {
        // Minimum functionTimeout here: 1 s wait budget + 3 s summary + 1 min margin = 64 s; the host gives 65 s.
        await using var app = await AppFactory.StartAsync(new()
        {
            ["DocServer:BackgroundWaitBudget"] = "00:00:01",
            ["DocServer:SummaryTimeout"] = "00:00:03",
            ["AzureFunctionsJobHost:functionTimeout"] = "00:01:05",
        });
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "first", title = "first", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        await client.PostAsJsonAsync("/api/documents", new { id = "second", title = "second", content = EvidenceFixtures.EnglishBoiler, contentType = "text" });
        app.Mlx.ReplyWith(_ => MlxReply.Text("{\"summary\": \"Summarised.\", \"keywords\": []}", TimeSpan.FromMilliseconds(1200)));

        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);
        Assert.Single(app.Mlx.Requests);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/digests/latest")).StatusCode);

        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);
        Assert.Equal(2, app.Mlx.Requests.Count);
        var latest = await client.GetFromJsonAsync<Digest>("/api/digests/latest", AppFactory.JsonOptions);
        Assert.Equal(["first", "second"], latest!.Documents.Select(d => d.Title));
    }

    [Fact]
    public async Task Digest_DocumentWhoseExtractionMessageWasLost_GetsItsSummaryStoredByTheDigest()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "orphan", title = "orphan", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        var storage = app.Services.GetRequiredService<Configuration.StorageResources>();
        var message = Assert.Single(await storage.Extract.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None));
        await storage.Extract.DeleteAsync(message, CancellationToken.None); // as if storage failed before it was sent

        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);

        var document = await client.GetFromJsonAsync<DocumentRecord>("/api/documents/orphan", AppFactory.JsonOptions);
        Assert.Equal("A document about rules.", document!.Summary);
        Assert.True(document.IsExtracted);
    }

    [Fact]
    public async Task Digest_DocumentStampedWithinTheCutoffLag_IsLeftToTheNextRun_NeverSkipped()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:DigestCutoffLag"] = "00:00:03" });
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "fresh", title = "fresh", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/digests/latest")).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);

        var latest = await client.GetFromJsonAsync<Digest>("/api/digests/latest", AppFactory.JsonOptions);
        Assert.Equal(["fresh"], latest!.Documents.Select(d => d.Title));
    }

    [Fact]
    public async Task Digest_FailedHalfway_ResumesWithoutRedoingFinishedDocuments()
    {
        await using var app = await AppFactory.StartAsync();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "first", title = "first", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        await client.PostAsJsonAsync("/api/documents", new { id = "second", title = "second", content = EvidenceFixtures.EnglishBoiler, contentType = "text" });
        app.Mlx.Enqueue(MlxReply.Text("{\"summary\": \"Tenancy terms.\", \"keywords\": [\"notice\"]}"), MlxReply.Text("not the JSON asked for"));

        await Assert.ThrowsAnyAsync<Exception>(() => app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None));
        app.Mlx.ReplyWith(_ => MlxReply.Text("{\"summary\": \"Boiler care.\", \"keywords\": [\"boiler\"]}"));
        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);

        Assert.Equal(3, app.Mlx.Requests.Count);
        var latest = await client.GetFromJsonAsync<Digest>("/api/digests/latest", AppFactory.JsonOptions);
        Assert.Equal(["Tenancy terms.", "Boiler care."], latest!.Documents.Select(d => d.Summary));
        var markdown = await client.GetStringAsync($"/api/digests/{latest.Id}?format=md");
        Assert.Contains("## first", markdown, StringComparison.Ordinal);
        Assert.Equal([latest.Id], await client.GetFromJsonAsync<List<string>>("/api/digests"));

        // Nothing new since: the next run writes no digest and calls no model.
        await app.Function<DigestsFunctions>().Digest(new TimerInfo(), CancellationToken.None);
        Assert.Equal(3, app.Mlx.Requests.Count);
    }

    [Fact]
    public async Task QueueListener_MessageFailingFiveTimes_MovesToThePoisonQueue()
    {
        await using var app = await AppFactory.StartAsync(new() { ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01" });
        app.Mlx.ReplyWith(_ => MlxReply.Text("not the JSON asked for"));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        var listener = ExtractListener(app, new RecordingLogger<QueueListener>());
        var storage = app.Services.GetRequiredService<Configuration.StorageResources>();

        var attempts = 0;
        for (var i = 0; i < 40 && attempts < 5; i++)
        {
            attempts += await listener.PollOnceAsync(CancellationToken.None);
            await Task.Delay(300);
        }

        Assert.Equal(5, attempts);
        var poisoned = await storage.ExtractPoison.ReceiveAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("tenancy", TracedMessage.Unwrap(Assert.Single(poisoned).Text).Body);
        await Task.Delay(1500);
        Assert.Empty(await storage.Extract.ReceiveAsync(1, TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task QueueListener_TakesHostJsonsBatchSize_OverriddenByAnAppSettingAsUnderTheHost()
    {
        await using var app = await AppFactory.StartAsync(new() { ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "2" });
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        foreach (var id in new[] { "one", "two", "three" })
        {
            await client.PostAsJsonAsync("/api/documents", new { id, content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        }

        var listener = ExtractListener(app, new RecordingLogger<QueueListener>());

        Assert.Equal(2, await listener.PollOnceAsync(CancellationToken.None));
        Assert.Equal(1, await listener.PollOnceAsync(CancellationToken.None));
        Assert.Equal(3, app.Mlx.Requests.Count);
        Assert.Equal(0, app.Mlx.Violations);
    }

    [Fact]
    public async Task QueueListener_MessageTakenAwayWhileItRan_IsNotAFailedAttempt_AndTheWorkStands()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly(TimeSpan.FromSeconds(2));
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        var storage = app.Services.GetRequiredService<Configuration.StorageResources>();
        var logger = new RecordingLogger<QueueListener>();
        var listener = ExtractListener(app, logger);

        var polling = listener.PollOnceAsync(CancellationToken.None);
        await Task.Delay(500);
        // Its receipt goes stale while the extraction runs (here: the queue is cleared), so the final delete fails.
        await new Azure.Storage.Queues.QueueClient((await AzuriteServer.GetAsync()).ConnectionString, app.Prefix + "-extract").ClearMessagesAsync();

        Assert.Equal(1, await polling);
        Assert.Contains(logger.Entries, e => e.EventId == 705);
        Assert.DoesNotContain(logger.Entries, e => e.EventId == 704);
        Assert.Equal("A document about rules.", (await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    /// <summary>The extract queue's listener as the standalone app builds it, with the app's options and services.</summary>
    private static QueueListener ExtractListener(AppFactory app, RecordingLogger<QueueListener> logger)
    {
        var storage = app.Services.GetRequiredService<Configuration.StorageResources>();
        return new QueueListener(
            FunctionNames.Extract, storage.Extract, storage.ExtractPoison, app.Services.GetRequiredService<FunctionInvoker>(), app.Services.GetRequiredService<StorageProvisioner>(),
            app.Services.GetRequiredService<IOptions<Configuration.DocServerOptions>>(), app.Services.GetRequiredService<IOptions<Configuration.QueueTriggerOptions>>(),
            TimeProvider.System, logger);
    }
}

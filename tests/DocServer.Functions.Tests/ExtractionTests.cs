using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Durable;
using DocServer.Functions.Extraction;
using DocServer.Storage.Documents;
using DocServer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DocServer.Functions.Tests;

/// <summary>
/// Extraction as the app runs it standalone: the ingest schedules an ExtractDocument orchestration on the app's task
/// hub (Azurite), whose Summarise activity calls the scripted model through the gate entity.
/// </summary>
public sealed class ExtractionTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ingest_RunsTheExtractDocumentOrchestration_WhichStoresSummaryAndKeywords()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true" });
        app.Mlx.ReplyWith(_ => MlxReply.Text("<think>The user wants {summary, keywords}.</think>\n```json\n{\"summary\": \"Tenancy terms.\", \"keywords\": [\"notice\"]}\n```"));
        using var client = app.CreateClient();

        var version = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        var instance = await app.WaitForInstanceAsync($"tenancy@{version}", Within);

        Assert.Equal(DurableStatus.Completed, instance.Status);
        Assert.Equal(ExtractionOutcome.Extracted, Result(instance).Outcome);
        var document = await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions);
        Assert.Equal("Tenancy terms.", document!.Summary);
        Assert.Equal(["notice"], document.Keywords);
        Assert.Single(app.Mlx.Requests, r => r.Prompt.Contains("Summarise one document", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_TaskHubRefusesTheExtraction_TheDocumentIsStillCreatedAndSearchable_TheCatchUpSchedulesItLater()
    {
        // The task hub's queue unreachable after the document was stored (all four of the ingest's tries): the ingest
        // must not answer that it failed. The catch-up timer is fired by hand below, not by its schedule.
        RefusingSchedules? refusing = null;
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true", ["DocServerExtractionCatchUpSchedule"] = "0 0 0 1 1 *" }, services =>
        {
            var registered = services.Last(d => d.ServiceType == typeof(IDurableWork)).ImplementationFactory!;
            services.AddSingleton<IDurableWork>(sp => refusing = new RefusingSchedules((IDurableWork)registered(sp), refusals: 4));
        });
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();

        using var ingest = await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        var version = (await app.Services.GetRequiredService<DocumentStore>().GetAsync("tenancy", CancellationToken.None))!.Version;
        Assert.NotNull(version);
        using var ask = await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion });

        Assert.Equal(System.Net.HttpStatusCode.Created, ingest.StatusCode);
        Assert.Equal(4, refusing!.Tries);
        Assert.Contains("tenancy", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<IDurableWork>().GetInstanceAsync($"tenancy@{version}", CancellationToken.None));
        Assert.Null((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);

        // The task hub answers again. A run right after the ingest leaves the version to it (it may still be trying);
        // once the version is older than the grace, the catch-up schedules it once, and a second run finds nothing to do.
        var invoker = app.Services.GetRequiredService<Hosting.FunctionInvoker>();
        Assert.Equal(0, await invoker.InvokeAsync(Hosting.FunctionNames.ExtractionCatchUp, CancellationToken.None));
        await IngestedEarlierAsync(app, "tenancy", ExtractionCatchUp.IngestGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await invoker.InvokeAsync(Hosting.FunctionNames.ExtractionCatchUp, CancellationToken.None));
        var instance = await app.WaitForInstanceAsync($"tenancy@{version}", Within);
        Assert.Equal(0, await invoker.InvokeAsync(Hosting.FunctionNames.ExtractionCatchUp, CancellationToken.None));
        Assert.Equal(DurableStatus.Completed, instance.Status);
        Assert.NotNull((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task Ingest_TheFirstTwoSchedulesFail_TheExtractionIsScheduledOnARetry_AndTheSummaryIsStored()
    {
        // Storage answering late under load: the ingest tries the schedule again rather than leave it to the digest.
        RefusingSchedules? refusing = null;
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true" }, services =>
        {
            var registered = services.Last(d => d.ServiceType == typeof(IDurableWork)).ImplementationFactory!;
            services.AddSingleton<IDurableWork>(sp => refusing = new RefusingSchedules((IDurableWork)registered(sp), refusals: 2));
        });
        app.Mlx.ReplyWith(_ => MlxReply.Text("{\"summary\": \"Tenancy terms.\", \"keywords\": [\"notice\"]}"));
        using var client = app.CreateClient();

        var version = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        var instance = await app.WaitForInstanceAsync($"tenancy@{version}", Within);

        Assert.Equal(3, refusing!.Tries);
        Assert.Equal(DurableStatus.Completed, instance.Status);
        Assert.Equal("Tenancy terms.", (await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task ScheduleAgain_SameVersion_DoesNothing_ButANewVersionIsExtractedAgain()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true" });
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        var durable = app.Services.GetRequiredService<IDurableWork>();
        var first = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        await app.WaitForInstanceAsync($"tenancy@{first}", Within);

        var again = await durable.ScheduleAsync(ExtractDocumentOrchestrator.Name, $"tenancy@{first}", new ExtractionRequest("tenancy", first), CancellationToken.None);
        var second = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy + " Amended.");
        var instance = await app.WaitForInstanceAsync($"tenancy@{second}", Within);

        Assert.False(again);
        Assert.Equal(ExtractionOutcome.Extracted, Result(instance).Outcome);
        Assert.Equal(2, app.Mlx.Requests.Count);
        Assert.Equal("A document about rules.", (await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task HealthyModelGivesNoSummary_FailsAfterItsAttempts_WithTheReasonInItsStatus()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true", ["DocServer:ExtractionRetryDelay"] = "00:00:00.200" });
        app.Mlx.ReplyWith(_ => MlxReply.Text("I would rather not summarise this."));
        using var client = app.CreateClient();

        var version = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        var instance = await app.WaitForInstanceAsync($"tenancy@{version}", Within);

        Assert.Equal(DurableStatus.Failed, instance.Status);
        Assert.Contains("not the JSON asked for", instance.Failure, StringComparison.Ordinal);
        Assert.Equal(SummaryAttempts.Attempts, app.Mlx.Requests.Count);
        Assert.Null((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task G13_HostAnswers5xx_WaitsAProbeIntervalInsteadOfFailing_AndFinishesWhenTheHostIsBack()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true", ["DocServer:ProbeInterval"] = "00:00:01" });
        app.Mlx.ReplyWith(_ => MlxReply.Status(503, "{\"error\":\"loading model\"}"));
        using var client = app.CreateClient();
        var durable = app.Services.GetRequiredService<IDurableWork>();

        var version = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        DurableInstance? waiting = null;
        for (var i = 0; i < 300 && waiting?.CustomStatus is null; i++)
        {
            await Task.Delay(100);
            waiting = await durable.GetInstanceAsync($"tenancy@{version}", CancellationToken.None);
        }

        Assert.Equal(DurableStatus.Running, waiting!.Status);
        Assert.Contains("waiting for the host", waiting.CustomStatus, StringComparison.Ordinal);
        app.ModelAnswersSensibly();
        var done = await app.WaitForInstanceAsync($"tenancy@{version}", Within);

        Assert.Equal(DurableStatus.Completed, done.Status);
        Assert.Equal("A document about rules.", (await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task DocumentReplacedBeforeItsTurn_TheOldVersionsExtractionWritesNothing()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        var old = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy + " Amended.");

        var result = await app.Services.GetRequiredService<SummariseActivity>().RunAsync(new ExtractionRequest("tenancy", old), CancellationToken.None);

        Assert.Equal(ExtractionOutcome.Outdated, result.Outcome);
        Assert.Empty(app.Mlx.Requests);
        Assert.Null((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task SummariseActivity_DeliveredTwiceAtOnce_CallsTheModelOnce_TheOtherFindsTheSummaryInsideItsLease()
    {
        // An activity runs at least once: a partition moving between workers can deliver it twice, both past the
        // "already extracted" check before either has a summary. The gate serialises them; the second looks again.
        await using var app = await AppFactory.StartAsync();
        app.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(300)));
        using var client = app.CreateClient();
        var version = await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        var activity = app.Services.GetRequiredService<SummariseActivity>();

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => activity.RunAsync(new ExtractionRequest("tenancy", version), CancellationToken.None)));

        Assert.Equal([ExtractionOutcome.Extracted, ExtractionOutcome.AlreadyExtracted], results.Select(r => r.Outcome).Order());
        Assert.Single(app.Mlx.Requests, r => SensibleModel.IsSummary(r.Prompt));
        Assert.NotNull((await client.GetFromJsonAsync<DocumentRecord>("/api/documents/tenancy", AppFactory.JsonOptions))!.Summary);
    }

    [Fact]
    public async Task AppStops_PastItsShutdownTimeoutWithAnActivityInFlight_StopsWithoutError_TheWorkLeftToTheHub()
    {
        // The shutdown timeout cut short: the task hub worker cannot finish its graceful stop in it, whatever the machine.
        var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true" }, services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(1)));
        app.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMinutes(2)));
        using var client = app.CreateClient();
        await IngestAsync(app, client, "tenancy", EvidenceFixtures.EnglishTenancy);
        await Eventually.HoldsAsync(() => Task.FromResult(app.Mlx.Requests.Any(r => SensibleModel.IsSummary(r.Prompt))), "the summary call to start", Within);

        var stopped = await Record.ExceptionAsync(async () => await app.DisposeAsync());

        Assert.Null(stopped);
    }

    private static async Task<string> IngestAsync(AppFactory app, HttpClient client, string id, string content)
    {
        Assert.True((await client.PostAsJsonAsync("/api/documents", new { id, content, contentType = "text" })).IsSuccessStatusCode);
        return (await app.Services.GetRequiredService<DocumentStore>().GetAsync(id, CancellationToken.None))!.Version!;
    }

    /// <summary>Moves a stored document's ingest time <paramref name="age"/> back, writing its row as another program would.</summary>
    private static async Task IngestedEarlierAsync(AppFactory app, string id, TimeSpan age)
    {
        var table = (await AzuriteServer.GetAsync()).RawTable(app.Prefix + "documents");
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("doc", id)).Value;
        row["IngestedAt"] = row.GetDateTimeOffset("IngestedAt")!.Value - age;
        await table.UpdateEntityAsync(row, row.ETag);
    }

    private static ExtractionResult Result(DurableInstance instance) =>
        JsonSerializer.Deserialize<ExtractionResult>(instance.Output!, AppFactory.JsonOptions)!;

    /// <summary>The task hub's queue refusing the first <paramref name="refusals"/> schedules (all of them by default); the rest passes through.</summary>
    private sealed class RefusingSchedules(IDurableWork hub, int refusals = int.MaxValue) : IDurableWork
    {
        private int _tries;

        public int Tries => Volatile.Read(ref _tries);

        public Task<bool> ScheduleAsync(string orchestration, string instanceId, object? input, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _tries) <= refusals
                ? throw new Azure.RequestFailedException(0, "Connection refused (the task hub's queue)")
                : hub.ScheduleAsync(orchestration, instanceId, input, cancellationToken);

        public Task SignalEntityAsync(string entity, string key, string operation, object? input, CancellationToken cancellationToken) =>
            hub.SignalEntityAsync(entity, key, operation, input, cancellationToken);

        public Task<string?> ReadEntityStateAsync(string entity, string key, CancellationToken cancellationToken) => hub.ReadEntityStateAsync(entity, key, cancellationToken);

        public Task<DurableInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken) => hub.GetInstanceAsync(instanceId, cancellationToken);

        public Task<int> PurgeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) => hub.PurgeAsync(createdBefore, cancellationToken);
    }
}

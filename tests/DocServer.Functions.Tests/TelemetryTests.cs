using Microsoft.Extensions.Options;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DocServer.Functions.Configuration;
using DocServer.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace DocServer.Functions.Tests;

/// <summary>The meter is shared by name across the apps of this process: these tests run alone.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestsRunAlone;

/// <summary>
/// A real ask against the scripted model server, through the app's own OpenTelemetry pipeline, read back
/// with the in-memory exporters: spans in parent/child order, instruments with their tags, logs with trace ids.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    private const string Model = "gemma-test";

    [Fact]
    public async Task Ask_WithCallersTraceparent_IsOneTraceFromRequestThroughGateToModel()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(new() { ["Logging:LogLevel:DocServer"] = "Information" }, telemetry.AddTo);
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await IngestTenancyAsync(client);
        var trace = ActivityTraceId.CreateRandom();
        var caller = ActivitySpanId.CreateRandom();

        using var response = await AskAsync(client, $"00-{trace}-{caller}-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await EventuallyAsync(() => telemetry.Spans(trace).Any(s => s.Kind == ActivityKind.Server && s.ParentSpanId == caller), "the request's span");
        var spans = telemetry.Spans(trace);
        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == caller);
        var root = Assert.Single(spans, s => s.DisplayName == "ask");
        Assert.Equal(request.SpanId, root.ParentSpanId);
        Assert.Equal("found", root.GetTagItem("docserver.ask.outcome"));
        var retrieve = Assert.Single(spans, s => s.DisplayName == "retrieve");
        var evidence = Assert.Single(spans, s => s.DisplayName == "extract evidence");
        var synthesis = Assert.Single(spans, s => s.DisplayName == "synthesise");
        Assert.All([retrieve, evidence, synthesis], s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.True(retrieve.StartTimeUtc <= evidence.StartTimeUtc && evidence.StartTimeUtc <= synthesis.StartTimeUtc, "the steps run in order");
        foreach (var (step, kind) in new[] { (evidence, "evidence"), (synthesis, "synthesis") })
        {
            var wait = Assert.Single(spans, s => s.DisplayName == "gate wait" && s.ParentSpanId == step.SpanId);
            Assert.Equal("macmini", wait.GetTagItem("docserver.gate"));
            Assert.Equal("foreground", wait.GetTagItem("docserver.gate.priority"));
            Assert.Equal("granted", wait.GetTagItem("docserver.gate.outcome"));
            var chat = Assert.Single(spans, s => s.DisplayName == $"chat {Model}" && s.ParentSpanId == step.SpanId);
            Assert.Equal(ActivityKind.Client, chat.Kind);
            Assert.True(wait.StartTimeUtc <= chat.StartTimeUtc, "the gate is passed before the model is called");
            Assert.Equal(Model, chat.GetTagItem("gen_ai.request.model"));
            Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
            Assert.Equal(kind, chat.GetTagItem("docserver.call.kind"));
            Assert.Equal("completed", chat.GetTagItem("docserver.call.outcome"));
            Assert.NotNull(chat.GetTagItem("gen_ai.response.time_to_first_chunk"));
            Assert.True(chat.GetTagItem("gen_ai.usage.input_tokens") is int input && input > 0, "the host's usage is on the span");
            // The HTTP call to the host is the model span's child, and its traceparent reaches the host (here the
            // scripted server, in this process, whose own request span is its child in turn).
            var call = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == chat.SpanId && s.Source.Name.StartsWith("System.Net.Http", StringComparison.Ordinal));
            Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == call.SpanId);
        }

        // Logs go through the same pipeline and carry the ask's trace id.
        var dispatched = Assert.Single(telemetry.Logs(trace), l => l.CategoryName == "DocServer.Core.Gates.GateClient" && l.EventId.Id == 100 && l.SpanId == spans.Single(s => s.DisplayName == "gate wait" && s.ParentSpanId == evidence.SpanId).SpanId);
        Assert.Contains("wait_ms=", dispatched.FormattedMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_CallerSaysNotSampled_IsStillTracedInTheCallersTrace()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(services: telemetry.AddTo);
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        var trace = ActivityTraceId.CreateRandom();

        using var response = await AskAsync(client, $"00-{trace}-{ActivitySpanId.CreateRandom()}-00");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await EventuallyAsync(() => telemetry.Spans(trace).Any(s => s.DisplayName == "ask"), "the ask's span");
        Assert.Contains(telemetry.Spans(trace), s => s.DisplayName == "retrieve");
    }

    [Fact]
    public async Task Ask_Completed_RecordsModelCallsGateWaitsAndTheAskWithTheirTags()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(services: telemetry.AddTo);
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await IngestTenancyAsync(client);

        using var response = await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calls = telemetry.Collect(app.Services, "gen_ai.client.operation.duration");
        foreach (var kind in new[] { "evidence", "synthesis" })
        {
            var point = Assert.Single(calls, p => Tag(p, "docserver.call.kind") == kind);
            Assert.Equal(1, point.GetHistogramCount());
            Assert.Equal("completed", Tag(point, "docserver.call.outcome"));
            Assert.Equal(Model, Tag(point, "gen_ai.request.model"));
            Assert.Equal("macmini", Tag(point, "docserver.endpoint"));
            Assert.Equal("mlx", Tag(point, "gen_ai.provider.name"));
        }

        var firstChunk = telemetry.Collect(app.Services, "gen_ai.client.operation.time_to_first_chunk");
        Assert.Equal(2, firstChunk.Sum(p => p.GetHistogramCount()));
        var tokens = telemetry.Collect(app.Services, "gen_ai.client.token.usage");
        Assert.Contains(tokens, p => Tag(p, "gen_ai.token.type") == "input" && p.GetHistogramSum() > 10);
        Assert.Contains(tokens, p => Tag(p, "gen_ai.token.type") == "output" && p.GetHistogramSum() > 0);
        var waits = telemetry.Collect(app.Services, "docserver.gate.wait");
        var granted = Assert.Single(waits, p => Tag(p, "docserver.gate") == "macmini" && Tag(p, "docserver.gate.priority") == "foreground" && Tag(p, "docserver.gate.outcome") == "granted");
        Assert.Equal(2, granted.GetHistogramCount());
        var holds = telemetry.Collect(app.Services, "docserver.gate.hold");
        Assert.Equal(2, Assert.Single(holds, p => Tag(p, "docserver.gate.priority") == "foreground").GetHistogramCount());
        var asks = telemetry.Collect(app.Services, "docserver.ask.duration");
        Assert.Equal(1, Assert.Single(asks, p => Tag(p, "docserver.ask.outcome") == "found").GetHistogramCount());
        var evidence = telemetry.Collect(app.Services, "docserver.evidence.outcomes");
        Assert.Equal(1, Assert.Single(evidence, p => Tag(p, "docserver.evidence.outcome") == "model").GetSumLong());
        var queue = telemetry.Collect(app.Services, "docserver.gate.queue.length");
        Assert.Contains(queue, p => Tag(p, "docserver.gate") == "macmini" && Tag(p, "docserver.gate.priority") == "foreground");
        var up = telemetry.Collect(app.Services, "docserver.endpoint.up");
        Assert.Equal(1, Assert.Single(up, p => Tag(p, "docserver.endpoint") == "macmini").GetGaugeLastValueLong());
        Assert.Single(telemetry.Collect(app.Services, "docserver.index.chunks"));
    }

    [Fact]
    public async Task GateUnderContention_WaitsShowInTheWaitHistogram()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(services: telemetry.AddTo);
        app.ModelAnswersSensibly(TimeSpan.FromMilliseconds(150));
        using var client = app.CreateClient();
        await IngestTenancyAsync(client);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var granted = Assert.Single(telemetry.Collect(app.Services, "docserver.gate.wait"), p => Tag(p, "docserver.gate.outcome") == "granted");
        Assert.Equal(8, granted.GetHistogramCount());
        Assert.True(granted.TryGetHistogramMinMaxValues(out _, out var longest));
        // One host, one call at a time, four asks of two 150 ms calls: the last ask waited for at least three others' calls.
        Assert.True(longest >= 0.3, $"the longest wait was {longest:F3} s");
        Assert.True(granted.GetHistogramSum() >= 0.6, $"the waits add up to {granted.GetHistogramSum():F3} s");
        var buckets = new List<double>();
        foreach (var bucket in granted.GetHistogramBuckets())
        {
            if (bucket.BucketCount > 0)
            {
                buckets.Add(bucket.ExplicitBound);
            }
        }

        Assert.True(buckets.Max() > 0.25, "waits land in the upper buckets, not only the first");
    }

    [Fact]
    public async Task FailedModelCall_ShowsItsOutcomeOnTheSpanAndTheHistogram()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(services: telemetry.AddTo);
        app.Mlx.ReplyWith(_ => MlxReply.Status(500));
        using var client = app.CreateClient();
        await IngestTenancyAsync(client);
        var trace = ActivityTraceId.CreateRandom();

        using var response = await AskAsync(client, $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await EventuallyAsync(() => telemetry.Spans(trace).Any(s => s.DisplayName == "ask"), "the ask's span");
        // Evidence failed, and the synthesis after the rule-based fallback failed too: both calls say so.
        var chats = telemetry.Spans(trace).Where(s => s.DisplayName == $"chat {Model}").ToList();
        Assert.Equal(["evidence", "synthesis"], chats.OrderBy(c => c.StartTimeUtc).Select(c => c.GetTagItem("docserver.call.kind")));
        Assert.All(chats, chat =>
        {
            Assert.Equal(ActivityStatusCode.Error, chat.Status);
            Assert.Equal("host_failed", chat.GetTagItem("error.type"));
        });
        Assert.Equal("extractive", Assert.Single(telemetry.Spans(trace), s => s.DisplayName == "ask").GetTagItem("docserver.ask.outcome"));
        var failed = telemetry.Collect(app.Services, "gen_ai.client.operation.duration");
        Assert.Equal(2, failed.Count);
        Assert.All(failed, p => Assert.Equal(("host_failed", "host_failed"), (Tag(p, "docserver.call.outcome"), Tag(p, "error.type"))));
        Assert.Empty(telemetry.Collect(app.Services, "gen_ai.client.operation.time_to_first_chunk"));
        Assert.Contains(telemetry.Collect(app.Services, "docserver.evidence.outcomes"), p => Tag(p, "docserver.evidence.outcome") != "model");
    }

    [Fact]
    public async Task Extraction_UnderTheWorkersInvocationSpan_ContinuesTheHostsTrace_AndStillLinksToTheIngest()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(services: telemetry.AddTo);
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        var (ingestTrace, request) = await IngestInATraceAsync(app, client);

        // What the worker does around an invocation: a span of its own source, in the host's trace.
        using var workerSource = new ActivitySource(Hosting.FunctionInvoker.WorkerActivitySource);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Hosting.FunctionInvoker.WorkerActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var hostTrace = ActivityTraceId.CreateRandom();
        using (var invocation = workerSource.StartActivity("Invoke", ActivityKind.Internal, new ActivityContext(hostTrace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)))
        {
            Assert.NotNull(invocation);
            await app.Services.GetRequiredService<Extraction.SummariseActivity>().RunAsync(request, CancellationToken.None);
        }

        await EventuallyAsync(() => telemetry.AllSpans().Any(s => s.DisplayName == "Summarise"), "the extraction's span");
        var run = Assert.Single(telemetry.AllSpans(), s => s.DisplayName == "Summarise");
        Assert.Equal(hostTrace, run.TraceId);
        Assert.NotEqual(default, run.ParentSpanId);
        Assert.Contains(run.Links, l => l.Context.TraceId == ingestTrace);
    }

    [Fact]
    public async Task Extraction_RunByTheTaskHubWorker_IsItsOwnTraceLinkedToTheIngest()
    {
        var telemetry = new TelemetryCapture();
        await using var app = await AppFactory.StartAsync(services: telemetry.AddTo);
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        var (ingestTrace, request) = await IngestInATraceAsync(app, client);

        // What the activity does when the task hub's worker runs it: outside any request.
        await Task.Run(() => app.Services.GetRequiredService<Extraction.SummariseActivity>().RunAsync(request, CancellationToken.None));

        await EventuallyAsync(() => telemetry.AllSpans().Any(s => s.DisplayName == "Summarise"), "the extraction's span");
        var run = Assert.Single(telemetry.AllSpans(), s => s.DisplayName == "Summarise");
        Assert.Equal(default, run.ParentSpanId);
        Assert.NotEqual(ingestTrace, run.TraceId);
        Assert.Equal(ActivityKind.Consumer, run.Kind);
        Assert.Contains(run.Links, l => l.Context.TraceId == ingestTrace);
        var summary = Assert.Single(telemetry.Spans(run.TraceId), s => s.DisplayName == $"chat {Model}");
        Assert.Equal("summary", summary.GetTagItem("docserver.call.kind"));
        Assert.Contains(telemetry.Spans(run.TraceId), s => s.DisplayName == "gate wait" && (string?)s.GetTagItem("docserver.gate.priority") == "background");
    }

    [Fact]
    public async Task ExtractionBacklog_ActivitiesWaitingInTheTaskHub_ShowInTheBacklogGauge()
    {
        var telemetry = new TelemetryCapture();
        // The app's own sampler samples its hub once, at start; the test's sampler below every 200 ms.
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:BacklogSampleInterval"] = "01:00:00" }, telemetry.AddTo);
        // The activity queue of a task hub no worker reads, as the hub fills it while activities wait for a worker
        // (the app's own hub has a worker, which would take the messages).
        var options = app.Services.GetRequiredService<IOptions<DocServerOptions>>().Value;
        var idle = new StorageResources(app.Services.GetRequiredService<Storage.StorageAccount>(), new DocServerOptions { StoragePrefix = options.StoragePrefix, TaskHub = "idle" + app.Prefix }, TimeProvider.System);
        var queue = idle.TaskHubWorkItems;
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        var sampler = ActivatorUtilities.CreateInstance<Telemetry.QueueBacklogSampler>(app.Services, idle, Options.Create(new DocServerOptions { BacklogSampleInterval = TimeSpan.FromMilliseconds(200) }));
        await sampler.StartAsync(CancellationToken.None);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await queue.SendAsync(id, CancellationToken.None);
        }

        await EventuallyAsync(
            () => telemetry.Collect(app.Services, "docserver.extraction.backlog") is [var point] && point.GetGaugeLastValueLong() == 3,
            "a backlog of 3");
        foreach (var message in await queue.ReceiveAsync(3, TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            await queue.DeleteAsync(message, CancellationToken.None);
        }

        await EventuallyAsync(
            () => telemetry.Collect(app.Services, "docserver.extraction.backlog") is [var point] && point.GetGaugeLastValueLong() == 0,
            "the backlog back to 0");
        await sampler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task BackgroundLoops_StorageAndProbeCallsStartNoTracesOfTheirOwn()
    {
        var telemetry = new TelemetryCapture();
        // The index follows the change log every 200 ms here, and the Mac is down, so the probe runs too.
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Endpoints:macmini:Url"] = ScriptedMlxServer.RefusedUrl().ToString() }, telemetry.AddTo);
        using var client = app.CreateClient();
        await IngestTenancyAsync(client);
        await client.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion });
        await Task.Delay(1500);

        var roots = telemetry.AllSpans().Where(s => s.ParentSpanId == default).ToList();

        Assert.Contains(roots, s => s.Kind == ActivityKind.Server);
        Assert.All(roots, s => Assert.True(
            s.Kind is ActivityKind.Server or ActivityKind.Consumer || s.Source.Name == "DocServer",
            $"a trace started by {s.Source.Name} '{s.DisplayName}' ({s.Kind})"));
        // Storage calls are still traced inside the work that makes them.
        Assert.Contains(telemetry.AllSpans(), s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && s.ParentSpanId != default);
    }

    /// <summary>Ingests a document inside a caller's trace; its trace id, and the extraction it scheduled (the orchestration's input).</summary>
    private static async Task<(ActivityTraceId Trace, Extraction.ExtractionRequest Request)> IngestInATraceAsync(AppFactory app, HttpClient client)
    {
        var trace = ActivityTraceId.CreateRandom();
        using var ingest = new HttpRequestMessage(HttpMethod.Post, "/api/documents") { Content = JsonContent.Create(new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }) };
        ingest.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        Assert.True((await client.SendAsync(ingest)).IsSuccessStatusCode);
        var version = (await app.Services.GetRequiredService<Storage.Documents.DocumentStore>().GetAsync("tenancy", CancellationToken.None))!.Version;
        // Orchestrations do not run in this app (DocServer:Standalone is false): the scheduled instance waits, with its input.
        var durable = app.Services.GetRequiredService<DocServer.Durable.IDurableWork>();
        DocServer.Durable.DurableInstance? instance = null;
        for (var i = 0; i < 200 && instance is null; i++)
        {
            instance = await durable.GetInstanceAsync($"tenancy@{version}", CancellationToken.None);
            await Task.Delay(instance is null ? 50 : 0);
        }

        var request = System.Text.Json.JsonSerializer.Deserialize<Extraction.ExtractionRequest>(instance!.Input!)!;
        Assert.Equal(trace, ActivityContext.Parse(request.TraceParent!, null).TraceId);
        return (trace, request);
    }

    private static async Task IngestTenancyAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {response.StatusCode}");
    }

    private static async Task<HttpResponseMessage> AskAsync(HttpClient client, string traceparent)
    {
        using var ask = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = EvidenceFixtures.EnglishQuestion }) };
        ask.Headers.Add("traceparent", traceparent);
        return await client.SendAsync(ask);
    }

    private static string? Tag(MetricPoint point, string name) => TelemetryCapture.Tags(point).TryGetValue(name, out var value) ? value?.ToString() : null;

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}

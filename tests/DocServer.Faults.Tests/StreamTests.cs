using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>POST /api/ask/stream against a real app process and the scripted single-inference host.</summary>
public sealed class StreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stream_NormalAsk_RetrievedEvidenceTokensThenDone()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt) ? MlxReply.Words(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(50)) : MlxReply.Text(SensibleModel.Reply(prompt)));
        var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "lease", EvidenceFixtures.EnglishTenancy));

        await using var stream = StreamClient.Start(app, EvidenceFixtures.EnglishQuestion);
        await stream.CompleteAsync(Wait);

        // The document's background summary may hold the gate for a moment: a queued event is then legitimate too.
        var order = stream.Types.Where(t => t is not ("ping" or "queued")).Distinct().ToList();
        Assert.Equal(["retrieved", "evidence", "token", "done"], order);
        Assert.True(stream.Types.Count(t => t == "token") >= 3, "the answer arrives in pieces as the model writes them");
        var done = stream.Events.Single(e => e.Type == "done").Data;
        Assert.False(done.GetProperty("extractive").GetBoolean());
        // The streamed text is the model's, as written; done has it with citations cleaned (an out-of-range [9] dropped).
        var streamed = string.Concat(stream.Events.Where(e => e.Type == "token").Select(e => e.Data.GetProperty("text").GetString()));
        var answer = done.GetProperty("answer").GetString()!;
        Assert.StartsWith(answer[..40], streamed.Trim(), StringComparison.Ordinal);
        Assert.NotEmpty(stream.Events.Single(e => e.Type == "evidence").Data.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Stream_QueuedBehindOtherAsks_QueuedEventsWithAFallingPosition()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(600)));
        var app = await bed.StartAppAsync(new() { ["DocServer__AskWaitBudget"] = "00:01:00" });
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "lease", EvidenceFixtures.EnglishTenancy));
        var ahead = Enumerable.Range(0, 3).Select(_ => FaultBed.AskAsync(app, EvidenceFixtures.EnglishQuestion)).ToList();
        await FaultBed.EventuallyAsync(async () => await WaitingAsync(app) >= 2, "asks queued ahead");

        await using var stream = StreamClient.Start(app, EvidenceFixtures.EnglishQuestion);
        await stream.CompleteAsync(Wait);
        await Task.WhenAll(ahead);

        var positions = stream.Events.Where(e => e.Type == "queued").Select(e => e.Data.GetProperty("position").GetInt32()).ToList();
        Assert.True(positions.Count >= 2, $"queued events: {string.Join(",", positions)}");
        Assert.True(positions[0] > positions[^1], $"position falls while waiting: {string.Join(",", positions)}");
        Assert.Equal("done", stream.Types.Last());
        Assert.Equal(0, bed.Mlx.Violations);
    }

    [Fact]
    public async Task Stream_HostFails_DoneIsExtractiveWithItsReason()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(_ => MlxReply.Status(500));
        var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "lease", EvidenceFixtures.EnglishTenancy));

        await using var stream = StreamClient.Start(app, EvidenceFixtures.EnglishQuestion);
        var done = await stream.NextAsync("done", Wait);

        Assert.True(done.GetProperty("extractive").GetBoolean());
        Assert.False(string.IsNullOrEmpty(done.GetProperty("skipReasons").GetProperty("synthesis").GetString()));
        Assert.DoesNotContain("error", stream.Types);
    }

    [Fact]
    public async Task Stream_LongCall_PingsWhileItWaits()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt) ? MlxReply.Words(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(700)) : MlxReply.Text(SensibleModel.Reply(prompt)));
        var app = await bed.StartAppAsync(new() { ["DocServer__StreamPingInterval"] = "00:00:00.500" });
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "lease", EvidenceFixtures.EnglishTenancy));

        await using var stream = StreamClient.Start(app, EvidenceFixtures.EnglishQuestion);
        await stream.CompleteAsync(Wait);

        Assert.Contains("ping", stream.Types);
        Assert.Equal("done", stream.Types.Last());
    }

    [Fact]
    public async Task Stream_CallerLeavesWhileQueued_TicketIsWithdrawnAndTheNextCallerIsServed()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(1500)));
        var app = await bed.StartAppAsync(new() { ["DocServer__AskWaitBudget"] = "00:01:00" });
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "lease", EvidenceFixtures.EnglishTenancy));
        var holder = FaultBed.AskAsync(app, EvidenceFixtures.EnglishQuestion);
        await FaultBed.EventuallyAsync(async () => await InflightAsync(app) == 1, "the first ask holding the gate");

        var stream = StreamClient.Start(app, EvidenceFixtures.EnglishQuestion);
        await stream.NextAsync("queued", Wait);
        await stream.HangUpAsync();

        await FaultBed.EventuallyAsync(async () => await WaitingAsync(app) == 0, "the ticket withdrawn");
        var next = await FaultBed.AskAsync(app, EvidenceFixtures.EnglishQuestion);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.False(next.Body.GetProperty("extractive").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await holder).Status);
        Assert.Equal(0, bed.Mlx.Violations);
    }

    [Fact]
    public async Task Stream_CallerLeavesWhileTheAnswerIsWritten_GenerationStopsAndTheLeaseIsFreed()
    {
        await using var bed = await FaultBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt) ? MlxReply.Trickle("word ", 200, TimeSpan.FromMilliseconds(100)) : MlxReply.Text(SensibleModel.Reply(prompt)));
        var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "lease", EvidenceFixtures.EnglishTenancy));

        var stream = StreamClient.Start(app, EvidenceFixtures.EnglishQuestion);
        await stream.NextAsync("token", Wait);
        await stream.HangUpAsync();

        await FaultBed.EventuallyAsync(() => Task.FromResult(bed.Mlx.Abandoned == 1), "the host seeing its stream closed");
        await FaultBed.EventuallyAsync(async () => await InflightAsync(app) == 0, "the lease freed");
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt)));
        var next = await FaultBed.AskAsync(app, EvidenceFixtures.EnglishQuestion);
        Assert.False(next.Body.GetProperty("extractive").GetBoolean());
        Assert.Equal(0, bed.Mlx.Violations);
    }

    [Fact]
    public async Task Stream_NoQuestion_IsA400ProblemBeforeAnyEvent()
    {
        await using var bed = await FaultBed.StartAsync();
        var app = await bed.StartAppAsync();

        using var response = await app.PostAsJsonAsync("/api/ask/stream", new { question = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }


    private static async Task<JsonElement> GateAsync(HttpClient app)
    {
        using var json = JsonDocument.Parse(await app.GetStringAsync("/api/gate/status"));
        return json.RootElement[0].Clone();
    }

    private static async Task<int> WaitingAsync(HttpClient app) => (await GateAsync(app)).GetProperty("waitingForeground").GetInt32();

    private static async Task<int> InflightAsync(HttpClient app) => (await GateAsync(app)).GetProperty("inflight").GetInt32();
}

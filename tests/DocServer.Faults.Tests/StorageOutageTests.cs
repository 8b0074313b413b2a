using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using DocServer.Core.Gates;
using DocServer.Storage;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>Azurite killed under traffic and restarted on the same data, or frozen and thawed: degrade, never 500, lose nothing.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task AzuriteKilledFor8SecondsUnderTraffic_No500_AsksAnswerOr503WithRetryAfter_NothingHalfWritten_GateEndsEmpty()
    {
        using var azurite = await AzuriteProcess.StartAsync();
        await using var bed = await FaultBed.StartAsync(azurite.ConnectionString);
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(50)));
        using var first = await bed.StartAppAsync();
        using var second = await bed.StartAppAsync(standalone: false);
        HttpClient[] apps = [first, second];
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(first, "seed", EvidenceFixtures.EnglishTenancy));

        var responses = new ConcurrentBag<(string Kind, HttpStatusCode Status, bool RetryAfter, string Body)>();
        var created = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var traffic = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var app = apps[(worker + i) % 2];
                var id = $"w{worker}-{i}";
                using (var ingest = await app.PostAsync("/api/documents", JsonContent(new { id, title = id, content = Document(id), contentType = "text" })))
                {
                    responses.Add(("ingest", ingest.StatusCode, ingest.Headers.RetryAfter is not null, await ingest.Content.ReadAsStringAsync()));
                    if (ingest.StatusCode == HttpStatusCode.Created)
                    {
                        created.Add(id);
                    }
                }

                using var ask = await app.PostAsync("/api/ask", JsonContent(new { question = "What is the notice period for ending the tenancy?" }));
                responses.Add(("ask", ask.StatusCode, ask.Headers.RetryAfter is not null, await ask.Content.ReadAsStringAsync()));
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await azurite.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        await azurite.RestartAsync();
        await Task.Delay(TimeSpan.FromSeconds(6));
        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        var all = responses.ToList();
        Assert.DoesNotContain(all, r => (int)r.Status >= 500 && r.Status != HttpStatusCode.ServiceUnavailable);
        Assert.All(all.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r => Assert.True(r.RetryAfter, $"a 503 without Retry-After: {r.Body}"));
        Assert.All(all.Where(r => r.Kind == "ask"), r => Assert.Contains(r.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(all, r => r.Kind == "ask" && r.Status == HttpStatusCode.OK && r.Body.Contains("gate_unavailable", StringComparison.Ordinal));
        Assert.Contains(all, r => r.Kind == "ingest" && r.Status == HttpStatusCode.ServiceUnavailable);

        // Every document acknowledged is there, whole; no listed document is missing a part.
        var clients = new StorageClients(StorageAccount.FromConnectionString(azurite.ConnectionString), new StorageRetry(TimeSpan.FromSeconds(5), 2, TimeSpan.FromMilliseconds(100)));
        var store = new DocumentStore(clients, bed.Prefix, TimeProvider.System);
        var listed = await store.ListAsync(CancellationToken.None);
        Assert.All(created.Append("seed"), id => Assert.Contains(id, listed.Select(d => d.Id)));
        foreach (var document in listed)
        {
            Assert.Equal(document.Chunks, (await store.ChunksAsync(document, CancellationToken.None)).Count);
            var expected = document.Id == "seed" ? EvidenceFixtures.EnglishTenancy : Document(document.Id);
            Assert.Equal(expected, await store.OriginalAsync(document, CancellationToken.None));
        }

        // The gate ends empty (its reminders and the sweeps expire what the outage left), with no overlapping holders
        // ever. Both processes took the hub's one partition while its lease could not be renewed; the task hub settles
        // that after storage is back (5-20 s in most runs, once over 30 s), then the entity runs again.
        using var hub = new Durable.TaskHub.TaskHubService(StorageAccount.FromConnectionString(azurite.ConnectionString), new Durable.TaskHub.TaskHubOptions { HubName = bed.Prefix }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var gates = new Durable.Gates.EntityGateStore(new Durable.TaskHub.TaskHubDurableWork(hub), TimeProvider.System);
        GateState state;
        var waited = 0;
        do
        {
            await Task.Delay(500);
            state = await gates.ReadAsync("macmini", CancellationToken.None);
        }
        while ((state.Holders.Length > 0 || state.Waiters.Length > 0) && ++waited < 180);

        Assert.Empty(state.Holders);
        Assert.Empty(state.Waiters);
        Assert.Equal(0, bed.Mlx.Violations);
        Assert.All(bed.Apps, app => Assert.False(app.HasExited, "an app process exited during the outage"));
    }

    [Fact]
    public async Task AzuriteFrozen_WritesAnswer503WithRetryAfter_AsksAnswerFromTheIndex_Never500_AndAllWorksOnceItThaws()
    {
        // Storage that takes requests and never answers ends each try by the SDK's network timeout, not by a refused
        // connection: CI saw that answered with a 500 (G3, an Azurite starved of CPU).
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "seed", EvidenceFixtures.EnglishTenancy));
        await FaultBed.EventuallyAsync(async () => (await FaultBed.AskAsync(app, EvidenceFixtures.EnglishQuestion)).Body.GetProperty("found").GetBoolean(), "the seed is searchable");

        await bed.Azurite.FreezeAsync();
        HttpResponseMessage ingest, list;
        (HttpStatusCode Status, JsonElement Body, TimeSpan Took) ask;
        try
        {
            ingest = await app.PostAsync("/api/documents", JsonContent(new { id = "frozen", title = "frozen", content = Document("frozen"), contentType = "text" }));
            list = await app.GetAsync("/api/documents");
            ask = await FaultBed.AskAsync(app, EvidenceFixtures.EnglishQuestion);
        }
        finally
        {
            await bed.Azurite.ThawAsync();
        }

        Assert.True(ingest.StatusCode == HttpStatusCode.ServiceUnavailable, $"{ingest.StatusCode}: {await ingest.Content.ReadAsStringAsync()}");
        Assert.NotNull(ingest.Headers.RetryAfter);
        Assert.Contains("Storage is unavailable", await ingest.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(list.StatusCode == HttpStatusCode.ServiceUnavailable, $"{list.StatusCode}: {await list.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, ask.Status);
        Assert.True(ask.Body.GetProperty("found").GetBoolean() && ask.Body.GetProperty("extractive").GetBoolean(), ask.Body.ToString());

        // Thawed, it answers what it was sent while frozen: the timed-out ingest's staged parts may land, but no
        // document row points at them, so it never appears; the same ingest sent again is stored whole.
        await FaultBed.EventuallyAsync(async () => (await FaultBed.IngestAsync(app, "frozen", Document("frozen"))) == HttpStatusCode.Created, "an ingest after the thaw", TimeSpan.FromSeconds(30));
        var store = bed.Documents();
        var frozen = await store.GetAsync("frozen", CancellationToken.None);
        Assert.NotNull(frozen);
        Assert.Equal(Document("frozen"), await store.OriginalAsync(frozen, CancellationToken.None));
        Assert.False(bed.Apps[0].HasExited, "the app exited while storage was frozen");
    }

    private static string Document(string id) => $"{EvidenceFixtures.EnglishTenancy} Reference {id}.";

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}

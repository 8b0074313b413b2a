using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DocServer.Durable.TaskHub;
using DocServer.Storage;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Benchmarks;

/// <summary>One place the gate lives, able to hand out gate clients that act as separate app instances.</summary>
internal sealed class GateBackend : IAsyncDisposable
{
    public const string Gate = "bench";

    private static readonly GateCatalog Catalog = new(new Dictionary<string, GatePolicy> { [Gate] = new() { LeaseTtl = TimeSpan.FromSeconds(15), WaiterTtl = TimeSpan.FromSeconds(30) } });
    private readonly Func<IGateStore> _store;
    private readonly TaskHubWorkerHost? _worker;

    private readonly Func<GateClientOptions, GateClientOptions> _polling;

    private GateBackend(string name, Func<IGateStore> store, TaskHubWorkerHost? worker = null, StorageRequestCounter? requests = null, PushHandoff? push = null, Durable.IDurableWork? durable = null)
    {
        Push = push;
        Durable = durable;
        _polling = worker is null ? o => o : EntityGateStoreOptions.Polling;
        Name = name;
        _store = store;
        _worker = worker;
        Requests = requests;
    }

    public string Name { get; }

    /// <summary>Orchestrations waiting by push on this hub (null in memory), and the client that schedules them.</summary>
    public PushHandoff? Push { get; }

    public Durable.IDurableWork? Durable { get; }

    /// <summary>Every storage request of the task hub's worker and clients; null in memory.</summary>
    public StorageRequestCounter? Requests { get; }

    public static GateBackend InMemory()
    {
        var shared = new InMemoryGateStore(Catalog, TimeProvider.System);
        return new GateBackend("in-memory", () => shared);
    }

    /// <summary>The gate entity on a fresh task hub on Azurite, its worker in this process; each instance its own storage clients.</summary>
    public static async Task<GateBackend> TaskHubAsync(TaskHubOptions? options = null)
    {
        var server = await AzuriteServer.GetAsync().ConfigureAwait(false);
        var hub = (options ?? new TaskHubOptions()) with { HubName = "bench" + Guid.NewGuid().ToString("N")[..12] };
        var account = StorageAccount.FromConnectionString(server.ConnectionString);
        var requests = new StorageRequestCounter();
        var definitions = new DurableDefinitions();
        definitions.Entities[GateEntity.Name] = () => new GateEntity(Catalog, TimeProvider.System, NullLogger<GateEntity>.Instance);
        var push = new PushHandoff();
        definitions.Orchestrators[GateGrantNotifier.Name] = () => new GateGrantNotifier();
        definitions.Orchestrators[PushHandoff.Orchestration] = () => PushHandoff.Orchestrator(Catalog);
        definitions.Activities[PushHandoff.Activity] = push.HoldActivity;
        var worker = new TaskHubWorkerHost(new TaskHubService(account, hub, NullLoggerFactory.Instance, null, requests), definitions, TimeProvider.System, NullLoggerFactory.Instance);
        await worker.StartAsync(CancellationToken.None).ConfigureAwait(false);
        while (!worker.IsStarted)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        var retry = new StorageRetry(TimeSpan.FromSeconds(2), 1, TimeSpan.FromMilliseconds(50));
        var backend = new GateBackend(
            $"entity, polls <= {hub.MaxQueuePollingInterval.TotalMilliseconds:F0} ms",
            () => new EntityGateStore(new TaskHubDurableWork(new TaskHubService(account, hub, NullLoggerFactory.Instance, retry, requests)), TimeProvider.System),
            worker,
            requests,
            push,
            new TaskHubDurableWork(new TaskHubService(account, hub, NullLoggerFactory.Instance, retry, requests)));
        push.UseClient(backend.Instance("activity").Client);
        return backend;
    }

    public (GateClient Client, MeasuringGateStore Store) Instance(string owner)
    {
        var store = new MeasuringGateStore(_store());
        return (new GateClient(store, Catalog, TimeProvider.System, NullLogger<GateClient>.Instance, _polling(new GateClientOptions { Owner = owner })), store);
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}

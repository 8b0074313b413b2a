using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DocServer.Durable.TaskHub;
using DocServer.Storage;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Durable.Tests;

/// <summary>
/// A gate entity on its own task hub on Azurite (a unique hub name per test: no test sees another's queues or
/// tables). <see cref="StartWorkerAsync"/> runs a task hub worker in this process; every <see cref="Client"/> gets
/// its own task hub service (its own storage clients), as a separate app instance would.
/// </summary>
internal sealed class TaskHubGateBed : IAsyncDisposable
{
    public const string Gate = "macmini";

    private readonly List<IAsyncDisposable> _owned = [];

    private TaskHubGateBed(AzuriteServer server, GatePolicy policy)
    {
        Server = server;
        Catalog = new GateCatalog(new Dictionary<string, GatePolicy> { [Gate] = policy });
        Options = new TaskHubOptions { HubName = "t" + Guid.NewGuid().ToString("N")[..16], MaxQueuePollingInterval = TimeSpan.FromMilliseconds(50) };
    }

    public AzuriteServer Server { get; }

    public GateCatalog Catalog { get; }

    public TaskHubOptions Options { get; }

    public GatePolicy Policy => Catalog.Machine(Gate).Policy;

    public static async Task<TaskHubGateBed> CreateAsync(GatePolicy policy) => new(await AzuriteServer.GetAsync(), policy);

    public TaskHubService Service() => new(StorageAccount.FromConnectionString(Server.ConnectionString), Options, NullLoggerFactory.Instance);

    /// <summary>
    /// Starts a task hub worker running the gate entity (and the grant notifier, and <paramref name="orchestrators"/>)
    /// in this process, and waits until it runs.
    /// </summary>
    public async Task StartWorkerAsync(IReadOnlyDictionary<string, Func<Microsoft.DurableTask.ITaskOrchestrator>>? orchestrators = null)
    {
        var definitions = new DurableDefinitions();
        definitions.Entities[GateEntity.Name] = () => new GateEntity(Catalog, TimeProvider.System, NullLogger<GateEntity>.Instance);
        definitions.Orchestrators[GateGrantNotifier.Name] = () => new GateGrantNotifier();
        foreach (var (name, create) in orchestrators ?? new Dictionary<string, Func<Microsoft.DurableTask.ITaskOrchestrator>>())
        {
            definitions.Orchestrators[name] = create;
        }

        var host = new TaskHubWorkerHost(Service(), definitions, TimeProvider.System, NullLoggerFactory.Instance);
        await host.StartAsync(CancellationToken.None);
        _owned.Add(new Stopping(host));
        for (var i = 0; i < 300 && !host.IsStarted; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(host.IsStarted, "the task hub worker did not start within 30 s");
    }

    public GateClient Client(string owner = "test") =>
        new(Store(), Catalog, TimeProvider.System, NullLogger<GateClient>.Instance, EntityGateStoreOptions.Polling(new GateClientOptions { Owner = owner }));

    public EntityGateStore Store() => new(new TaskHubDurableWork(Service()), TimeProvider.System);

    public Task<GateState> StateAsync() => Store().ReadAsync(Gate, CancellationToken.None);

    /// <summary>Waits until <paramref name="instanceId"/> has ended, and answers it.</summary>
    public async Task<DurableInstance> FinishedAsync(string instanceId, TimeSpan within)
    {
        var durable = new TaskHubDurableWork(Service());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instance = await durable.GetInstanceAsync(instanceId, CancellationToken.None);
            if (instance is { HasEnded: true })
            {
                return instance;
            }

            Assert.True(clock.Elapsed < within, $"instance {instanceId} not done within {within.TotalSeconds} s: {instance?.Status.ToString() ?? "no such instance"}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    private sealed class Stopping(TaskHubWorkerHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await host.StopAsync(CancellationToken.None);
    }
}

using DocServer.Core.Gates;
using DocServer.Storage.Entities;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Benchmarks;

/// <summary>One storage backend under test, able to hand out gate clients that act as separate app instances.</summary>
internal sealed class GateBackend
{
    public const string Gate = "bench";

    private readonly Func<IEntityRowStore> _rows;
    private readonly GateCatalog _catalog = new(new Dictionary<string, GatePolicy> { [Gate] = new() { LeaseTtl = TimeSpan.FromSeconds(15), WaiterTtl = TimeSpan.FromSeconds(30) } });

    private GateBackend(string name, Func<IEntityRowStore> rows)
    {
        Name = name;
        _rows = rows;
    }

    public string Name { get; }

    public static GateBackend InMemory()
    {
        var shared = new InMemoryEntityRowStore();
        return new GateBackend("in-memory", () => shared);
    }

    public static async Task<GateBackend> AzuriteAsync()
    {
        var server = await AzuriteServer.GetAsync().ConfigureAwait(false);
        var table = await server.CreateRowStoreAsync().ConfigureAwait(false);
        // Fresh clients per instance: their own HTTP pipeline, as another app instance would have.
        return new GateBackend("azurite", () => new TableEntityRowStore(server.Clients(), table.Name));
    }

    public (GateClient Client, MeasuringEntityStore Store) Instance(string owner)
    {
        var store = new MeasuringEntityStore(new EntityStore(_rows(), TimeProvider.System));
        return (new GateClient(store, _catalog, TimeProvider.System, NullLogger<GateClient>.Instance, new GateClientOptions { Owner = owner }), store);
    }
}

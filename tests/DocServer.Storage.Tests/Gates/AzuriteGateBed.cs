using DocServer.Core.Entities;
using DocServer.Core.Gates;
using DocServer.Storage.Entities;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Storage.Tests.Gates;

/// <summary>
/// A gate in its own table on Azurite. Every <see cref="Client"/> gets its own table client (its own
/// HTTP pipeline) and entity store, as a separate app instance would.
/// </summary>
internal sealed class AzuriteGateBed
{
    public const string Gate = "macmini";

    private AzuriteGateBed(AzuriteServer server, TableEntityRowStore table, GatePolicy policy)
    {
        Server = server;
        Table = table;
        Catalog = new GateCatalog(new Dictionary<string, GatePolicy> { [Gate] = policy });
    }

    public AzuriteServer Server { get; }

    public TableEntityRowStore Table { get; }

    /// <summary>The gate's table through the SDK, to write or read rows as another program would.</summary>
    public Azure.Data.Tables.TableClient RawTable => Server.RawTable(Table.Name);

    public GateCatalog Catalog { get; }

    public GatePolicy Policy => Catalog.Machine(Gate).Policy;

    public static async Task<AzuriteGateBed> CreateAsync(GatePolicy policy)
    {
        var server = await AzuriteServer.GetAsync();
        return new AzuriteGateBed(server, await server.CreateRowStoreAsync(), policy);
    }

    public GateClient Client(string owner = "test") =>
        new(
            new EntityStore(new TableEntityRowStore(Server.Clients(), Table.Name), TimeProvider.System),
            Catalog,
            TimeProvider.System,
            NullLogger<GateClient>.Instance,
            new GateClientOptions { Owner = owner });

    public async Task<GateState> StateAsync() =>
        GateStateJson.Deserialize(await new EntityStore(Table, TimeProvider.System).ReadAsync(new EntityKey("gate", Gate), CancellationToken.None), Gate);
}

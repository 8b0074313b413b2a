using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// One in-memory "storage account" shared by any number of gate clients, each with its own entity
/// store (its own cache), as separate app instances would have.
/// </summary>
internal sealed class GateTestBed(GatePolicy? policy = null, TimeProvider? time = null)
{
    private InMemoryGateStore? _store;

    public const string Gate = "macmini";

    /// <summary>A second host serving the same model: with <see cref="Gate"/>, a pool of two (G12).</summary>
    public const string Gate2 = "macstudio";
    public const string Ungated = "cloud";

    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public GateCatalog Catalog { get; } = new(new Dictionary<string, GatePolicy> { [Gate] = policy ?? GatePolicy.Default, [Gate2] = policy ?? GatePolicy.Default }, [Ungated]);

    /// <summary>
    /// The one store every client of the bed shares. Made on first use, safely across threads: tests build clients from
    /// parallel tasks, and a plain <c>??=</c> let two of them each make a store of its own (two gates, so two "runs at
    /// once" were both granted: KeepOnceTests failed once in CI with two model calls).
    /// </summary>
    public InMemoryGateStore Store => LazyInitializer.EnsureInitialized(ref _store, () => new InMemoryGateStore(Catalog, Time));

    public GateClient Client(GateClientOptions? options = null, ILogger<GateClient>? logger = null) =>
        new(Store, Catalog, Time, logger ?? NullLogger<GateClient>.Instance, options);

    /// <summary>The gated-call wrapper over <paramref name="client"/> (a new client by default), knowing <paramref name="health"/>.</summary>
    public GatedModelCalls Calls(GateClient? client = null, IEndpointHealth? health = null) => new(client ?? Client(), Time, health);

    public Task<GateState> StateAsync(string gate = Gate) => Store.ReadAsync(gate, CancellationToken.None);

    /// <summary>Waits (in real time) for background work driven by a hand-moved clock to catch up.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"Timed out waiting for: {what}");
    }
}

using DocServer.Core.Gates;
using DocServer.Testing;

namespace DocServer.Durable.Tests;

/// <summary>
/// What every place a gate can live must do, run against the in-memory twin the Core tests use and the gate entity
/// on a task hub on Azurite: answers come back typed, changes show in the next read, a sent command is applied.
/// </summary>
public abstract class GateStoreContract
{
    protected const string Gate = TaskHubGateBed.Gate;

    protected static GatePolicy Policy { get; } = new() { LeaseTtl = TimeSpan.FromSeconds(30), WaiterTtl = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task ReadAsync_NeverUsedGate_IsTheEmptyGate()
    {
        var store = await CreateAsync();

        var state = await store.ReadAsync(Gate, CancellationToken.None);

        Assert.Empty(state.Holders);
        Assert.Empty(state.Waiters);
        Assert.Equal(GateState.Empty.NextFencingToken, state.NextFencingToken);
    }

    [Fact]
    public async Task ApplyAsync_AcquireQueueRelease_AnswersEachAndTheGrantIsInTheReleasesState()
    {
        var store = await CreateAsync();

        var first = await store.ApplyAsync(Gate, new AcquireCommand("first", "one", GatePriority.Background, null), CancellationToken.None);
        var second = await store.ApplyAsync(Gate, new AcquireCommand("second", "two", GatePriority.Foreground, null), CancellationToken.None);
        var queued = await store.ReadAsync(Gate, CancellationToken.None);
        var released = await store.ApplyAsync(Gate, new ReleaseCommand("first", first.Result.Lease!.FencingToken, "first-next"), CancellationToken.None);

        Assert.Equal(AcquireOutcome.Granted, first.Result.Outcome);
        Assert.Equal((AcquireOutcome.Queued, 0, "second"), (second.Result.Outcome, second.Result.Position, second.Result.Ticket!.Id));
        Assert.Equal(["second"], queued.Waiters.Select(w => w.Id));
        Assert.Equal(ReleaseOutcome.Released, released.Result.Outcome);
        Assert.Null(released.Result.KeptPlace); // G11: the foreground waiter came first, so the kept place queues
        Assert.Equal("second", Assert.Single(released.State.Holders).Id);
        Assert.Equal("second", Assert.Single((await store.ReadAsync(Gate, CancellationToken.None)).Holders).Id);
    }

    [Fact]
    public async Task SendAsync_CommandWithoutAnAnswer_IsAppliedAndShowsInALaterRead()
    {
        var store = await CreateAsync();
        await store.ApplyAsync(Gate, new AcquireCommand("holder", "one", GatePriority.Background, null), CancellationToken.None);

        await store.SendAsync(Gate, new ReportHealthCommand(new GateHealthMark(DateTimeOffset.UtcNow, "connection refused", "test")), CancellationToken.None);

        for (var i = 0; i < 200 && (await store.ReadAsync(Gate, CancellationToken.None)).Health is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal("connection refused", (await store.ReadAsync(Gate, CancellationToken.None)).Health?.LastError);
    }

    protected abstract Task<IGateStore> CreateAsync();
}

public sealed class InMemoryGateStoreContractTests : GateStoreContract
{
    protected override Task<IGateStore> CreateAsync() =>
        Task.FromResult<IGateStore>(new InMemoryGateStore(new GateCatalog(new Dictionary<string, GatePolicy> { [Gate] = Policy }), TimeProvider.System));
}

public sealed class EntityGateStoreContractTests : GateStoreContract, IAsyncDisposable
{
    private TaskHubGateBed? _bed;

    protected override async Task<IGateStore> CreateAsync()
    {
        _bed = await TaskHubGateBed.CreateAsync(Policy);
        await _bed.StartWorkerAsync();
        return _bed.Store();
    }

    public async ValueTask DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }
}

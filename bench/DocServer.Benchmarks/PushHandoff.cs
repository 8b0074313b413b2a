using System.Collections.Concurrent;
using System.Diagnostics;
using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using Microsoft.DurableTask;

namespace DocServer.Benchmarks;

/// <summary>
/// Orchestrations taking turns at the gate by push, as extraction does: each waits for its grant (the entity starts the
/// notifier, which raises the event), runs an activity that claims the grant, holds it and releases it. The gap is
/// one activity's release to the next activity's claim: every hop of a background handoff.
/// </summary>
internal sealed class PushHandoff
{
    public const string Orchestration = "BenchTurn";
    public const string Activity = "BenchHold";

    private readonly ConcurrentDictionary<long, (long Claimed, long ReleaseStarted)> _holds = new();
    private GateClient? _client;

    /// <summary>The client the activity claims with (an instance of its own), set once the hub's clients exist.</summary>
    public void UseClient(GateClient client) => _client = client;

    public TimeSpan Hold { get; init; } = TimeSpan.FromMilliseconds(300);

    public static ITaskOrchestrator Orchestrator(GateCatalog catalog) => new Turn(new OrchestrationGate(catalog));

    public ITaskActivity HoldActivity() => new HoldOnGrant(this);

    /// <summary>Schedules <paramref name="count"/> turns behind a held gate, lets go, and answers the gaps (ms) between holds.</summary>
    public async Task<List<double>> MeasureAsync(Durable.IDurableWork durable, GateClient blockerClient, int count)
    {
        _holds.Clear();
        var blocker = (await blockerClient.AcquireAsync(GateBackend.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false)).Lease!;
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < count; i++)
        {
            await durable.ScheduleAsync(Orchestration, $"turn-{run}-{i}", null, CancellationToken.None).ConfigureAwait(false);
        }

        while ((await blockerClient.GetStatusAsync(GateBackend.Gate, CancellationToken.None).ConfigureAwait(false)).WaitingBackground < count)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        _holds[blocker.FencingToken] = (0, Stopwatch.GetTimestamp());
        await blocker.DisposeAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (_holds.Count < count + 1 && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        var ordered = _holds.OrderBy(h => h.Key).Select(h => h.Value).ToList();
        return [.. ordered.Zip(ordered.Skip(1), (previous, next) => Stopwatch.GetElapsedTime(previous.ReleaseStarted, next.Claimed).TotalMilliseconds)];
    }

    private sealed class Turn(OrchestrationGate gate) : TaskOrchestrator<object?, long>
    {
        public override async Task<long> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var grant = await gate.AcquireAsync(context, [GateBackend.Gate], GatePriority.Background, TimeSpan.FromMinutes(5))
                ?? throw new InvalidOperationException("no turn within 5 minutes");
            try
            {
                return await context.CallActivityAsync<long>(Activity, grant);
            }
            finally
            {
                await OrchestrationGate.ReleaseAsync(context, grant);
            }
        }
    }

    private sealed class HoldOnGrant(PushHandoff bench) : TaskActivity<GateGrant, long>
    {
        public override async Task<long> RunAsync(TaskActivityContext context, GateGrant input)
        {
            var acquisition = await bench._client!.AcquireAsync([input.Gate], GatePriority.Background, TimeSpan.FromMinutes(1), GateRequest.WithGrant(input), CancellationToken.None).ConfigureAwait(false);
            await using var lease = acquisition.Lease!;
            var claimed = Stopwatch.GetTimestamp();
            await Task.Delay(bench.Hold).ConfigureAwait(false);
            bench._holds[lease.FencingToken] = (claimed, Stopwatch.GetTimestamp());
            return lease.FencingToken;
        }
    }
}

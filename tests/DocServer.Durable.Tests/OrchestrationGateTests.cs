using System.Diagnostics;
using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DocServer.Durable.TaskHub;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace DocServer.Durable.Tests;

/// <summary>
/// An orchestration's turn at the gate on a real task hub on Azurite: queued, it is told of its grant by push (the
/// entity starts the notifier, which raises the event), bounded by a durable timer, and never dropped for silence.
/// </summary>
public sealed class OrchestrationGateTests
{
    private const string Turn = "TakeTurn";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AcquireAsync_GateHeld_IsGrantedByPushWhenReleased_LongBeforeACheck()
    {
        // A check every 60 s (the waiter TTL): a grant seen within a few seconds of the release came by push.
        await using var bed = await StartAsync(new GatePolicy { LeaseTtl = TimeSpan.FromSeconds(30), WaiterTtl = TimeSpan.FromSeconds(60) });
        var holder = (await bed.Client("asker").AcquireAsync(TaskHubGateBed.Gate, GatePriority.Foreground, Within, CancellationToken.None)).Lease!;
        var instance = await ScheduleAsync(bed, TimeSpan.FromMinutes(5));
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, "the orchestration queued");

        var released = Stopwatch.StartNew();
        await holder.DisposeAsync();
        var done = await bed.FinishedAsync(instance, Within);
        var pushedIn = released.Elapsed;

        var grant = JsonDataConverter.Default.Deserialize<GateGrant>(done.Output);
        var lease = (await bed.StateAsync()).Holders.Single();
        Assert.Equal((grant!.LeaseId, grant.FencingToken), (lease.Id, lease.FencingToken));
        Assert.True(pushedIn < TimeSpan.FromSeconds(10), $"granted {pushedIn.TotalSeconds:F1} s after the release: not by push");
        var notifier = await new TaskHubDurableWork(bed.Service()).GetInstanceAsync(GateGrantNotifier.InstanceId(grant), CancellationToken.None);
        Assert.Equal(DurableStatus.Completed, notifier!.Status);
    }

    [Fact]
    public async Task G2_AcquireAsync_BudgetRunsOut_AnswersNone_AndWithdrawsItsTicket()
    {
        await using var bed = await StartAsync(new GatePolicy { LeaseTtl = TimeSpan.FromSeconds(30), WaiterTtl = TimeSpan.FromSeconds(60) });
        await using var holder = (await bed.Client("asker").AcquireAsync(TaskHubGateBed.Gate, GatePriority.Foreground, Within, CancellationToken.None)).Lease!;

        var done = await bed.FinishedAsync(await ScheduleAsync(bed, TimeSpan.FromSeconds(2)), Within);

        Assert.True(done.Status == DurableStatus.Completed, $"{done.Status}: {done.Failure}");
        Assert.Null(JsonDataConverter.Default.Deserialize<GateGrant>(done.Output));
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.IsEmpty, "the ticket was withdrawn");
        Assert.Equal(holder.FencingToken, (await bed.StateAsync()).Holders.Single().FencingToken);
    }

    [Fact]
    public async Task G7_WaitLongerThanTheWaiterTtl_TheOrchestrationsTicketIsKeptWithoutHeartbeats_AndItIsGranted()
    {
        // Waiter TTL 6 s; the gate is held more than two TTLs. A polling waiter that fell silent would be dropped.
        await using var bed = await StartAsync(new GatePolicy { LeaseTtl = TimeSpan.FromSeconds(30), WaiterTtl = TimeSpan.FromSeconds(6) });
        var holder = (await bed.Client("asker").AcquireAsync(TaskHubGateBed.Gate, GatePriority.Foreground, Within, CancellationToken.None)).Lease!;
        var instance = await ScheduleAsync(bed, TimeSpan.FromMinutes(5));
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, "the orchestration queued");

        await Task.Delay(TimeSpan.FromSeconds(13));
        var state = await bed.StateAsync();
        await holder.DisposeAsync();
        var done = await bed.FinishedAsync(instance, Within);

        Assert.Single(state.Waiters);
        Assert.Equal(0, state.Counters.DroppedWaiters);
        Assert.NotNull(JsonDataConverter.Default.Deserialize<GateGrant>(done.Output));
    }

    private static async Task<TaskHubGateBed> StartAsync(GatePolicy policy)
    {
        var bed = await TaskHubGateBed.CreateAsync(policy);
        await bed.StartWorkerAsync(new Dictionary<string, Func<ITaskOrchestrator>> { [Turn] = () => new TurnOrchestrator(new OrchestrationGate(bed.Catalog)) });
        return bed;
    }

    private static async Task<string> ScheduleAsync(TaskHubGateBed bed, TimeSpan budget)
    {
        var instance = "turn-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True(await new TaskHubDurableWork(bed.Service()).ScheduleAsync(Turn, instance, budget, CancellationToken.None));
        return instance;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Within, $"not within {Within.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Takes a background turn at the bed's gate within the budget it is given, and answers the grant (kept).</summary>
    private sealed class TurnOrchestrator(OrchestrationGate gate) : TaskOrchestrator<TimeSpan, GateGrant?>
    {
        public override Task<GateGrant?> RunAsync(TaskOrchestrationContext context, TimeSpan input) =>
            gate.AcquireAsync(context, [TaskHubGateBed.Gate], GatePriority.Background, input);
    }
}

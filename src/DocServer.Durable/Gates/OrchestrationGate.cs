using DocServer.Core.Gates;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace DocServer.Durable.Gates;

/// <summary>
/// The gate as an orchestration passes it: acquire by calling the entities of the pool (G12: one ticket id on
/// each), and when queued, learn of the grant by push (<see cref="GateGrantNotifier"/>) while a durable timer
/// bounds the wait (the wait budget, G2). No activity slot is held while waiting, and the wait survives a restart.
/// The grant goes to the activity that calls the model, which claims it before it calls; the orchestration
/// releases it afterwards (<see cref="ReleaseAsync"/>), so a grant the activity never used does not sit until it expires.
/// </summary>
public sealed class OrchestrationGate(GateCatalog catalog)
{
    /// <summary>
    /// How long a grant waits to be claimed by the activity (the notice, the orchestration's replay and the activity's
    /// dispatch are a few queue hops, well under a second on a working hub): a grant whose activity does not start
    /// (no worker runs activities, a crash between grant and claim) frees the gate after this, not after a lease TTL.
    /// </summary>
    public static readonly TimeSpan ClaimWindow = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The first grant of any gate of <paramref name="pool"/>, the other tickets withdrawn; null when every queue
    /// was full or the budget ran out (every ticket withdrawn, a grant that raced the withdrawal given back).
    /// </summary>
    public async Task<GateGrant?> AcquireAsync(TaskOrchestrationContext context, IReadOnlyList<string> pool, GatePriority priority, TimeSpan waitBudget)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pool);
        var ticket = context.NewGuid().ToString("N");
        var deadline = context.CurrentUtcDateTime + waitBudget;
        var acquire = new AcquireCommand(ticket, Owner(context.InstanceId), priority, null, ClaimWindow);
        var queued = new List<string>();
        foreach (var gate in pool)
        {
            var answer = await CallAsync(context, gate, acquire);
            if (answer.Outcome == AcquireOutcome.Granted)
            {
                return await TakeAsync(context, queued, new GateGrant(gate, ticket, answer.Lease!.FencingToken));
            }

            if (answer.Outcome == AcquireOutcome.Queued)
            {
                queued.Add(gate);
            }
        }

        // No heartbeats: an orchestration's ticket is not dropped for silence (G7 is for callers that die with their
        // process), and every entity operation is a turn of the gate's queue that the asks wait behind. One check per
        // waiter TTL finds a grant whose notice was lost (the grant itself lapses after the claim window).
        var check = pool.Min(g => catalog.Machine(g).Policy.WaiterTtl);

        // One listener for the whole wait: a listener given up on a timeout stays first in line for the event, and a
        // notice arriving during a check would go to it and be lost (durabletask-dotnet's event waiters are a stack).
        var pushed = context.WaitForExternalEvent<GateGrant>(GateGrantNotifier.EventName(ticket));
        while (queued.Count > 0)
        {
            var remaining = deadline - context.CurrentUtcDateTime;
            if (remaining <= TimeSpan.Zero)
            {
                await WithdrawAsync(context, queued, ticket);
                return null;
            }

            using (var checkTimer = new CancellationTokenSource())
            {
                var timer = context.CreateTimer(context.CurrentUtcDateTime + (remaining < check ? remaining : check), checkTimer.Token);
                if (await Task.WhenAny(pushed, timer) == pushed)
                {
                    checkTimer.Cancel(); // synchronously: nothing in an orchestrator may continue on another thread
                    return await TakeAsync(context, queued, await pushed);
                }
            }

            // No grant yet: the check also finds a grant whose notice is still on its way.
            foreach (var gate in queued.ToList())
            {
                var poll = await CallAsync(context, gate, new PollCommand(ticket));
                if (poll.Outcome == PollOutcome.Granted)
                {
                    return await TakeAsync(context, queued, new GateGrant(gate, ticket, poll.Lease!.FencingToken));
                }

                if (poll.Outcome == PollOutcome.Gone)
                {
                    // Gone (a grant whose notice was lost lapsed unclaimed): queue again, as a polling waiter does.
                    var again = await CallAsync(context, gate, acquire);
                    if (again.Outcome == AcquireOutcome.Granted)
                    {
                        return await TakeAsync(context, queued, new GateGrant(gate, ticket, again.Lease!.FencingToken));
                    }

                    if (again.Outcome != AcquireOutcome.Queued)
                    {
                        queued.Remove(gate);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Gives a grant back once its work is done; a lease the activity released already is left alone (stale).</summary>
    public static Task ReleaseAsync(TaskOrchestrationContext context, GateGrant grant)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(grant);
        return SignalAsync(context, grant.Gate, new ReleaseCommand(grant.LeaseId, grant.FencingToken, null));
    }

    /// <summary>The owner a gate shows for an orchestration's lease: its instance id, cut to the gate's limit.</summary>
    internal static string Owner(string instanceId) => instanceId.Length <= GateMachine.MaxOwnerLength ? instanceId : instanceId[..GateMachine.MaxOwnerLength];

    private static async Task<GateGrant> TakeAsync(TaskOrchestrationContext context, List<string> queued, GateGrant grant)
    {
        await WithdrawAsync(context, queued.Where(g => g != grant.Gate), grant.LeaseId);
        return grant;
    }

    /// <summary>G12: the other gates' tickets are withdrawn; one that was granted meanwhile is given back by the same command.</summary>
    private static async Task WithdrawAsync(TaskOrchestrationContext context, IEnumerable<string> gates, string ticket)
    {
        foreach (var gate in gates.ToList())
        {
            await SignalAsync(context, gate, new CancelCommand(ticket));
        }
    }

    private static async Task<TResult> CallAsync<TResult>(TaskOrchestrationContext context, string gate, GateCommand<TResult> command)
    {
        var notify = command is AcquireCommand ? context.InstanceId : null;
        var json = await context.Entities.CallEntityAsync<string>(Entity(gate), GateEntity.ApplyOperation, new GateCall(GateCommand.Serialize(command), null, notify));
        return command.ReadResult(json);
    }

    private static Task SignalAsync(TaskOrchestrationContext context, string gate, GateCommand command) =>
        context.Entities.SignalEntityAsync(Entity(gate), GateEntity.ApplyOperation, new GateCall(GateCommand.Serialize(command), null));

    private static EntityInstanceId Entity(string gate) => new(GateEntity.Name, gate);
}

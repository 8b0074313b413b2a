using DocServer.Core.Gates;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace DocServer.Durable.Gates;

/// <summary>
/// The gate of one endpoint as a Durable entity (entity key = endpoint name, G1). Its one operation applies a
/// <see cref="GateCommand"/> with <see cref="GateMachine"/>, so G1–G13 are exactly the machine's rules; the
/// entity runs operations one at a time, which is what the machine needs. A lease that runs out is reclaimed
/// by a signal the entity sends itself for that moment (G6), so no timer or poll has to find it.
/// </summary>
public sealed class GateEntity(GateCatalog catalog, TimeProvider time, ILogger<GateEntity> logger) : TaskEntity<GateEntityState>
{
    public const string Name = "gate";
    public const string ApplyOperation = "apply";
    public const string RemindOperation = "remind";

    /// <summary>
    /// How long an answer waits to be read. Its reader reads every <see cref="EntityGateStoreOptions.MaxReadInterval"/>
    /// at most, so 5 s covers a reader stalled for dozens of reads; longer costs state. A state over the task hub's
    /// size limit for a table value moves to a blob: every read and write of the gate then costs one more request,
    /// and a read can miss a blob a write has just replaced (the ask then finds the gate unavailable). G3's forty asks
    /// at once kept ~120 answers, ~59,000 characters of state, with answers kept by reply id for 15 s.
    /// </summary>
    public static readonly TimeSpan ReplyLifetime = TimeSpan.FromSeconds(5);

    /// <summary>A reminder comes this long after the deadline, so the clock has surely passed it when it runs.</summary>
    private static readonly TimeSpan ReminderMargin = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Applies one command; answers its result (JSON), and keeps it for the call's reply id if it has one: under the
    /// command's subject, so a newer answer about the same ticket replaces the one its caller has read already.
    /// </summary>
    public string Apply(GateCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var now = Now();
        var command = GateCommand.Deserialize(call.Command);
        if (call.Notify is { } instance && command is AcquireCommand acquire)
        {
            // Registered before the command runs, so a grant in this same operation is not told twice: an acquire
            // granted at once is answered, and its entry goes below with the queue.
            State.Notify[acquire.RequestId] = instance;
        }

        var outcome = Run(command, now);
        State.Replies = State.Replies.Where(r => now - r.Value.At < ReplyLifetime).ToDictionary(StringComparer.Ordinal);
        if (call.ReplyId is { } replyId)
        {
            State.Replies[ReplyKey(command, replyId)] = new GateReply(outcome.ResultJson, now, replyId);
        }

        return outcome.ResultJson;
    }

    /// <summary>Where the answer to <paramref name="command"/> is kept: its subject, or its own reply id when it has none.</summary>
    public static string ReplyKey(GateCommand command, string replyId)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Subject ?? replyId;
    }

    /// <summary>G6/G7: the reminder the entity sent itself: expires what ran out, drops dead waiters, grants.</summary>
    public void Remind()
    {
        var now = Now();
        if (State.ReminderAt is { } due && due <= now + ReminderMargin)
        {
            State.ReminderAt = null;
        }

        Run(new SweepCommand(), now);
    }

    protected override GateEntityState InitializeState(TaskEntityOperation entityOperation) => new();

    /// <summary>
    /// The clock to the millisecond, the precision the state keeps (GateStateJson): an answer and a later read of the
    /// same lease then agree, and two events of one millisecond never look ordered one way in an answer and the
    /// other way in the state.
    /// </summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private GateCommandOutcome Run(GateCommand command, DateTimeOffset now)
    {
        var gate = Context.Id.Key;
        var machine = catalog.Machine(gate);
        var outcome = command.Run(machine, GateStateJson.Deserialize(State.Gate, gate), now);
        State.Gate = GateStateJson.Serialize(outcome.State);
        Log(gate, outcome.Effects, now);
        Push(gate, outcome, command is AcquireCommand acquire ? acquire.RequestId : null);
        RemindAtNextDeadline(outcome.State, machine.Policy, now);
        return outcome;
    }

    /// <summary>
    /// Keeps one reminder due no later than the next lease expiry or waiter death. A reminder that became too
    /// late (a new, shorter deadline) gets an earlier one beside it; a reminder that finds nothing due is harmless.
    /// </summary>
    private void RemindAtNextDeadline(GateState state, GatePolicy policy, DateTimeOffset now)
    {
        var deadlines = state.Holders.Select(h => h.ExpiresAt).Concat(state.Waiters.Select(w => w.DiesAt(policy)).OfType<DateTimeOffset>()).ToList();
        if (deadlines.Count == 0)
        {
            return;
        }

        var next = deadlines.Min();
        if (State.ReminderAt is { } due && due >= now && due <= next + ReminderMargin)
        {
            return;
        }

        var at = (next > now ? next : now) + ReminderMargin;
        State.ReminderAt = at;
        Context.SignalEntity(Context.Id, RemindOperation, null, new SignalEntityOptions { SignalTime = at });
    }

    /// <summary>
    /// Tells each orchestration whose ticket this operation granted (see <see cref="GateGrantNotifier"/>: an entity
    /// cannot raise an event itself), except the acquirer answered in this same operation; forgets tickets that
    /// are no longer queued.
    /// </summary>
    private void Push(string gate, GateCommandOutcome outcome, string? answered)
    {
        if (State.Notify.Count == 0)
        {
            return;
        }

        foreach (var granted in outcome.Effects.OfType<LeaseGranted>())
        {
            if (granted.Lease.Id != answered && State.Notify.GetValueOrDefault(granted.Lease.Id) is { } instance)
            {
                var grant = new GateGrant(gate, granted.Lease.Id, granted.Lease.FencingToken);
                Context.ScheduleNewOrchestration(
                    GateGrantNotifier.Name, new GateGrantNotice(instance, grant), new StartOrchestrationOptions(GateGrantNotifier.InstanceId(grant)));
            }
        }

        State.Notify = State.Notify.Where(n => outcome.State.Waiters.Any(w => w.Id == n.Key)).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>Grants are logged by the client that receives them (with its wait); the entity logs what nobody else sees.</summary>
    private void Log(string gate, IEnumerable<GateEffect> effects, DateTimeOffset now)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case LeaseExpired expired:
                    GateLog.LeaseExpired(logger, gate, expired.Lease.Owner, expired.Lease.FencingToken);
                    break;
                case WaiterDropped dropped:
                    GateLog.WaiterDropped(logger, gate, dropped.Waiter.Owner, (now - dropped.Waiter.EnqueuedAt).TotalMilliseconds);
                    break;
                default:
                    break;
            }
        }
    }
}

using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocServer.Core.Gates;

/// <summary>
/// One gate operation as data: what <see cref="GateMachine"/> should do, sent to wherever the gate lives
/// (the Durable entity, or an in-memory twin in tests) and applied there, serially, to the current state.
/// A lambda cannot cross a process; a command can, and the entity and the twin apply it the same way.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AcquireCommand), "acquire")]
[JsonDerivedType(typeof(PollCommand), "poll")]
[JsonDerivedType(typeof(RenewCommand), "renew")]
[JsonDerivedType(typeof(ClaimCommand), "claim")]
[JsonDerivedType(typeof(ReleaseCommand), "release")]
[JsonDerivedType(typeof(CancelCommand), "cancel")]
[JsonDerivedType(typeof(SweepCommand), "sweep")]
[JsonDerivedType(typeof(ReportHealthCommand), "health")]
public abstract record GateCommand
{
    /// <summary>
    /// What the command is about: the ticket, which is also the lease it becomes (their ids are the request's). Its
    /// caller sends one command about it at a time (acquire, then renewals, then the release), so a store that keeps
    /// answers for their readers keeps only the latest per subject. Null for a command any caller may send at any
    /// time (a sweep, a health mark).
    /// </summary>
    [JsonIgnore]
    public virtual string? Subject => null;

    /// <summary>Applies the command and returns the new state, the answer as JSON and the effects.</summary>
    public abstract GateCommandOutcome Run(GateMachine machine, GateState state, DateTimeOffset now);

    public static string Serialize(GateCommand command) => JsonSerializer.Serialize(command, GateCommandJson.Options);

    public static GateCommand Deserialize(string json) =>
        JsonSerializer.Deserialize<GateCommand>(json, GateCommandJson.Options) ?? throw new JsonException("A gate command was null.");
}

/// <summary>A command whose answer is a <typeparamref name="TResult"/>.</summary>
public abstract record GateCommand<TResult> : GateCommand
{
    public abstract GateTransition<TResult> Apply(GateMachine machine, GateState state, DateTimeOffset now);

    public sealed override GateCommandOutcome Run(GateMachine machine, GateState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var transition = Apply(machine, state, now);
        return new GateCommandOutcome(transition.State, JsonSerializer.Serialize(transition.Result, GateCommandJson.Options), transition.Effects);
    }

    public TResult ReadResult(string json) =>
        JsonSerializer.Deserialize<TResult>(json, GateCommandJson.Options) ?? throw new JsonException($"A gate reply was not a {typeof(TResult).Name}.");
}

/// <summary>The result of <see cref="GateCommand.Run"/>: state to keep, answer to send back, effects to log.</summary>
public sealed record GateCommandOutcome(GateState State, string ResultJson, ImmutableArray<GateEffect> Effects);

public sealed record AcquireCommand(string RequestId, string Owner, GatePriority Priority, DateTimeOffset? Origin, TimeSpan? ClaimWithin = null) : GateCommand<AcquireResult>
{
    public override string? Subject => RequestId;

    public override GateTransition<AcquireResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) =>
        machine.Acquire(state, now, RequestId, Owner, Priority, Origin, ClaimWithin);
}

public sealed record PollCommand(string TicketId) : GateCommand<PollResult>
{
    public override string? Subject => TicketId;

    public override GateTransition<PollResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) => machine.Poll(state, now, TicketId);
}

public sealed record RenewCommand(string LeaseId, long FencingToken) : GateCommand<RenewResult>
{
    public override string? Subject => LeaseId;

    public override GateTransition<RenewResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) => machine.Renew(state, now, LeaseId, FencingToken);
}

public sealed record ClaimCommand(string LeaseId, long FencingToken, string Claimant) : GateCommand<ClaimResult>
{
    public override GateTransition<ClaimResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) =>
        machine.Claim(state, now, LeaseId, FencingToken, Claimant);
}

public sealed record ReleaseCommand(string LeaseId, long FencingToken, string? KeepPlaceFor) : GateCommand<ReleaseResult>
{
    public override string? Subject => LeaseId;

    public override GateTransition<ReleaseResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) =>
        machine.Release(state, now, LeaseId, FencingToken, KeepPlaceFor);
}

public sealed record CancelCommand(string TicketId) : GateCommand<CancelResult>
{
    public override string? Subject => TicketId;

    public override GateTransition<CancelResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) => machine.Cancel(state, now, TicketId);
}

public sealed record SweepCommand : GateCommand<SweepResult>
{
    public override GateTransition<SweepResult> Apply(GateMachine machine, GateState state, DateTimeOffset now) => machine.Sweep(state, now);
}

public sealed record ReportHealthCommand(GateHealthMark? Health) : GateCommand<bool>
{
    public override GateTransition<bool> Apply(GateMachine machine, GateState state, DateTimeOffset now) => machine.ReportHealth(state, now, Health);
}

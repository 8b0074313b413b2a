using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// Drives the pure state machine through a story: keeps the state and a hand-moved clock, applies
/// operations in order, and collects the effects, so rule tests read like the rule.
/// </summary>
internal sealed class GateScenario(GatePolicy? policy = null)
{
    public GateMachine Machine { get; } = new(policy ?? GatePolicy.Default);

    public GateState State { get; private set; } = GateState.Empty;

    public DateTimeOffset Now { get; private set; } = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public List<GateEffect> Effects { get; } = [];

    public IEnumerable<GateHolder> Granted => Effects.OfType<LeaseGranted>().Select(g => g.Lease);

    public void Advance(TimeSpan by) => Now += by;

    public AcquireResult Acquire(string id, GatePriority priority = GatePriority.Background, string owner = "test", DateTimeOffset? origin = null) =>
        Apply(Machine.Acquire(State, Now, id, owner, priority, origin));

    /// <summary>An acquire whose lease is for someone else to claim within <paramref name="claimWithin"/>.</summary>
    public AcquireResult AcquireToClaim(string id, TimeSpan claimWithin) =>
        Apply(Machine.Acquire(State, Now, id, "orchestration", GatePriority.Background, null, claimWithin));

    public ClaimResult Claim(string id, string claimant) => Apply(Machine.Claim(State, Now, id, Holder(id).FencingToken, claimant));

    public PollResult Poll(string id) => Apply(Machine.Poll(State, Now, id));

    public RenewResult Renew(GateHolder lease) => Apply(Machine.Renew(State, Now, lease.Id, lease.FencingToken));

    public ReleaseResult Release(GateHolder lease, string? keepPlaceFor = null) => Apply(Machine.Release(State, Now, lease.Id, lease.FencingToken, keepPlaceFor));

    public ReleaseResult Release(string id, string? keepPlaceFor = null) => Release(Holder(id), keepPlaceFor);

    public CancelResult Cancel(string id) => Apply(Machine.Cancel(State, Now, id));

    public SweepResult Sweep() => Apply(Machine.Sweep(State, Now));

    public GateStatus Status() => Machine.Status("test", State, Now);

    public GateHolder Holder(string id) => State.Holders.Single(h => h.Id == id);

    public bool Holds(string id) => State.Holders.Any(h => h.Id == id);

    public bool Waits(string id) => State.Waiters.Any(w => w.Id == id);

    private T Apply<T>(GateTransition<T> transition)
    {
        State = transition.State;
        Effects.AddRange(transition.Effects);
        return transition.Result;
    }
}

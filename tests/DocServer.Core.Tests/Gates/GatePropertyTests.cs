using DocServer.Core.Gates;
using FsCheck;
using FsCheck.Fluent;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// Invariants of the gate over random operation sequences and random clocks (FsCheck). Each run
/// replays a generated script against the pure machine and checks every invariant after every step,
/// then drains the queue to check liveness.
/// </summary>
public sealed class GatePropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400);

    private enum Kind
    {
        AcquireForeground,
        AcquireForegroundOfEarlierRequest,
        AcquireBackground,
        Poll,
        Renew,
        Release,
        ReleaseKeepingPlace,
        Cancel,
        Sweep,
        Advance,
    }

    [Fact]
    public void Invariants_HoldAfterEveryOperation_G3_G4_G5_G6_G7_G11()
    {
        var script = Gen.Zip(Gen.Choose(1, 3), Gen.ListOf(OperationGen()).Select(l => l.ToArray()));
        Check.One(Runs, Prop.ForAll(script.ToArbitrary(), run => Replay(run.Item1, run.Item2)));
    }

    [Fact]
    public void Operations_AreDeterministic_SameScriptSameState()
    {
        var script = Gen.ListOf(OperationGen()).Select(l => l.ToArray());
        Check.One(Runs, Prop.ForAll(script.ToArbitrary(), ops =>
        {
            var first = Replay(1, ops);
            var second = Replay(1, ops);
            Assert.Equal(GateStateJson.Serialize(first), GateStateJson.Serialize(second));
        }));
    }

    private static Gen<(Kind Kind, int Pick, int Millis)> OperationGen()
    {
        var kind = Gen.Frequency(
            (4, Gen.Constant(Kind.AcquireForeground)),
            (2, Gen.Constant(Kind.AcquireForegroundOfEarlierRequest)),
            (5, Gen.Constant(Kind.AcquireBackground)),
            (4, Gen.Constant(Kind.Poll)),
            (3, Gen.Constant(Kind.Renew)),
            (5, Gen.Constant(Kind.Release)),
            (2, Gen.Constant(Kind.ReleaseKeepingPlace)),
            (1, Gen.Constant(Kind.Cancel)),
            (1, Gen.Constant(Kind.Sweep)),
            (4, Gen.Constant(Kind.Advance)));
        return from k in kind
               from pick in Gen.Choose(0, 1000)
               from millis in Gen.Choose(0, 1500)
               select (k, pick, millis);
    }

    /// <summary>Applies the script, checking invariants as it goes; then drains and checks that every live waiter got its turn.</summary>
    private static GateState Replay(int capacity, (Kind Kind, int Pick, int Millis)[] script)
    {
        var policy = new GatePolicy { Capacity = capacity, LeaseTtl = TimeSpan.FromSeconds(1), WaiterTtl = TimeSpan.FromSeconds(2) };
        var machine = new GateMachine(policy);
        var state = GateState.Empty;
        var now = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var ids = new List<string>();
        var leases = new Dictionary<string, GateHolder>();
        var lastToken = 0L;

        void Step<T>(Func<GateState, GateTransition<T>> operation, Action<GateState, GateTransition<T>>? check = null, string? keptPlace = null)
        {
            var before = state;
            var transition = operation(state);
            CheckInvariants(before, transition.State, transition.Effects, policy, now, keptPlace, ref lastToken);
            check?.Invoke(before, transition);
            foreach (var granted in transition.Effects.OfType<LeaseGranted>())
            {
                leases[granted.Lease.Id] = granted.Lease;
            }

            state = transition.State;
        }

        foreach (var (kind, pick, millis) in script)
        {
            var known = ids.Count == 0 ? null : ids[pick % ids.Count];
            switch (kind)
            {
                case Kind.AcquireForeground or Kind.AcquireBackground:
                    var id = $"r{ids.Count}";
                    ids.Add(id);
                    var priority = kind == Kind.AcquireForeground ? GatePriority.Foreground : GatePriority.Background;
                    Step(s => machine.Acquire(s, now, id, "p", priority));
                    break;
                case Kind.AcquireForegroundOfEarlierRequest:
                    // A later call of a request that arrived a while ago (G11): its origin is in the past.
                    var call = $"r{ids.Count}";
                    ids.Add(call);
                    Step(s => machine.Acquire(s, now, call, "p", GatePriority.Foreground, now - TimeSpan.FromMilliseconds(millis)));
                    break;
                case Kind.ReleaseKeepingPlace when known is not null && leases.TryGetValue(known, out var keeping):
                    var next = $"r{ids.Count}";
                    ids.Add(next);
                    Step(s => machine.Release(s, now, keeping.Id, keeping.FencingToken, next), (before, t) =>
                    {
                        // The place is kept exactly when the release took effect, with the lease's origin and priority.
                        var kept = t.State.Waiters.Select(w => (w.Id, w.Origin, w.Priority))
                            .Concat(t.State.Holders.Select(h => (h.Id, h.Origin, h.Priority)))
                            .Where(x => x.Id == next).ToList();
                        if (t.Result.Outcome == ReleaseOutcome.Released)
                        {
                            Assert.Equal((next, keeping.Origin, keeping.Priority), Assert.Single(kept));
                        }
                        else
                        {
                            Assert.Empty(kept);
                        }
                    }, next);
                    break;
                case Kind.Poll when known is not null:
                    Step(s => machine.Poll(s, now, known));
                    break;
                case Kind.Renew when known is not null && leases.TryGetValue(known, out var toRenew):
                    Step(s => machine.Renew(s, now, toRenew.Id, toRenew.FencingToken), (_, t) =>
                    {
                        // An expired lease can never be renewed back to life.
                        if (now >= CurrentExpiry(toRenew))
                        {
                            Assert.NotEqual(RenewOutcome.Renewed, t.Result.Outcome);
                        }
                        else if (t.Result.Lease is { } renewed)
                        {
                            leases[known] = renewed;
                        }
                    });
                    break;
                case Kind.Release when known is not null && leases.TryGetValue(known, out var toRelease):
                    Step(s => machine.Release(s, now, toRelease.Id, toRelease.FencingToken), (before, t) =>
                    {
                        // A stale lease frees nothing: every other holder that was live is still there.
                        var othersBefore = before.Holders.Where(h => h.Id != toRelease.Id && h.ExpiresAt > now).Select(h => h.Id);
                        Assert.All(othersBefore, other => Assert.Contains(t.State.Holders, h => h.Id == other));
                        if (now >= CurrentExpiry(toRelease))
                        {
                            Assert.Equal(ReleaseOutcome.Stale, t.Result.Outcome);
                        }
                    });
                    break;
                case Kind.Cancel when known is not null:
                    Step(s => machine.Cancel(s, now, known));
                    break;
                case Kind.Sweep:
                    Step(s => machine.Sweep(s, now));
                    break;
                case Kind.Advance:
                    now += TimeSpan.FromMilliseconds(millis);
                    break;
                default:
                    break;
            }
        }

        Drain();
        return state;

        DateTimeOffset CurrentExpiry(GateHolder lease) =>
            state.Holders.FirstOrDefault(h => h.Id == lease.Id && h.FencingToken == lease.FencingToken)?.ExpiresAt ?? DateTimeOffset.MinValue;

        // Liveness: with holders releasing and waiters polling, everyone still queued is served.
        void Drain()
        {
            var queued = state.Waiters.Where(w => w.IsAliveAt(now, policy)).Select(w => w.Id).ToHashSet();
            for (var round = 0; round < 1000 && state.Waiters.Length > 0; round++)
            {
                foreach (var holder in state.Holders.ToList())
                {
                    Step(s => machine.Release(s, now, holder.Id, holder.FencingToken));
                }

                foreach (var waiter in state.Waiters.ToList())
                {
                    Step(s => machine.Poll(s, now, waiter.Id));
                }

                now += TimeSpan.FromMilliseconds(100);
            }

            Assert.Empty(state.Waiters);
            Assert.All(queued, id => Assert.True(leases.ContainsKey(id), $"live waiter {id} was never granted"));
        }
    }

    private static void CheckInvariants(GateState before, GateState after, IEnumerable<GateEffect> effects, GatePolicy policy, DateTimeOffset now, string? keptPlace, ref long lastToken)
    {
        // G3: never more holders than capacity.
        Assert.True(after.Holders.Length <= policy.Capacity, $"{after.Holders.Length} holders > capacity {policy.Capacity}");

        foreach (var granted in effects.OfType<LeaseGranted>())
        {
            // Fencing tokens strictly increase, grant after grant.
            Assert.True(granted.Lease.FencingToken > lastToken, $"token {granted.Lease.FencingToken} after {lastToken}");
            lastToken = granted.Lease.FencingToken;

            var fromQueue = before.Waiters.FirstOrDefault(w => w.Id == granted.Lease.Id);
            // Those queued before the operation and still queued, and a place kept by a release (queued before it grants).
            var stillQueued = after.Waiters.Where(w => before.Waiters.Any(b => b.Id == w.Id && b.IsAliveAt(now, policy)) || w.Id == keptPlace).ToList();

            // G4 (aging off): no live foreground waiter is passed over for a background grant.
            if (granted.Lease.Priority == GatePriority.Background)
            {
                Assert.DoesNotContain(stillQueued, w => w.Priority == GatePriority.Foreground);
            }

            // G5: within background, nobody who queued earlier is still waiting. G11: within foreground, nobody
            // whose request arrived earlier (ties: queued earlier) is still waiting.
            if (fromQueue is not null)
            {
                Assert.DoesNotContain(stillQueued, w => w.Priority == fromQueue.Priority && (w.Priority == GatePriority.Foreground
                    ? (w.Origin, w.Sequence).CompareTo((fromQueue.Origin, fromQueue.Sequence)) < 0
                    : w.Sequence < fromQueue.Sequence));
            }

            // G7: a waiter that was dead at this moment is never granted.
            Assert.False(fromQueue is not null && !fromQueue.IsAliveAt(now, policy), $"dead waiter {granted.Lease.Id} granted");
        }

        // G6: nobody loses a live lease except by releasing or cancelling it.
        foreach (var held in before.Holders.Where(h => h.ExpiresAt > now))
        {
            var released = effects.OfType<LeaseReleased>().Any(r => r.Lease.Id == held.Id);
            Assert.True(released || after.Holders.Any(h => h.Id == held.Id), $"live lease {held.Id} vanished");
        }
    }
}

using DocServer.Core.Gates;
using FsCheck;
using FsCheck.Fluent;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// G11 and G12 as properties of whole requests on the pure machine: asks of one or more calls arriving at
/// random times (G11), and requests waiting on pools of gates, stepped in random interleavings (G12).
/// </summary>
public sealed class GateSchedulingPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);
    private static readonly GatePolicy Patient = new() { LeaseTtl = TimeSpan.FromMinutes(10), WaiterTtl = TimeSpan.FromHours(1) };

    [Fact]
    public void G11_AsksKeepingTheirPlace_FinishInTheOrderTheyArrived_AndBackgroundStaysFirstComeFirstServed()
    {
        var request = from gap in Gen.Choose(1, 400)
                      from calls in Gen.Choose(1, 3)
                      from hold in Gen.Choose(5, 300)
                      from kind in Gen.Choose(0, 3)
                      select new Arrival(gap, calls, hold, Background: kind == 0);
        Check.One(Runs, Prop.ForAll(Gen.NonEmptyListOf(request).Select(l => l.ToArray()).ToArbitrary(), arrivals =>
        {
            var grants = SimulateAsks(arrivals);

            var foreground = Enumerable.Range(0, arrivals.Length).Where(i => !arrivals[i].Background).ToList();
            foreach (var (earlier, later) in foreground.SelectMany(i => foreground.Where(j => j > i).Select(j => (i, j))))
            {
                // Arrivals are strictly increasing, so index order is arrival order.
                Assert.True(grants.FindLastIndex(g => g == earlier) < grants.FindIndex(g => g == later), $"ask {later} started before ask {earlier} finished: {string.Join(",", grants)}");
            }

            var background = grants.Where(g => arrivals[g].Background).ToList();
            Assert.Equal(background.Order(), background);
            Assert.All(Enumerable.Range(0, arrivals.Length), i => Assert.Equal(arrivals[i].Calls(), grants.Count(g => g == i)));
        }));
    }

    [Fact]
    public void G12_RequestsOnPools_HoldAtMostOneLeaseAndWithdrawnSiblingsNeverBlockTheirGate()
    {
        var script = from capacity in Gen.Choose(1, 2)
                     from steps in Gen.ListOf(Gen.Zip(Gen.Choose(0, 9), Gen.Choose(0, 1000)))
                     select (capacity, steps.ToArray());
        Check.One(Runs, Prop.ForAll(script.ToArbitrary(), run => new PoolSimulation(run.capacity).Run(run.Item2)));
    }

    /// <summary>
    /// Runs the asks on one gate of capacity 1 as the client does: a call queues with its ask's origin, holds for
    /// its time, and releases keeping the ask's place when another call follows. Returns whose call each grant was.
    /// </summary>
    private static List<int> SimulateAsks(Arrival[] arrivals)
    {
        var machine = new GateMachine(Patient);
        var state = GateState.Empty;
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var arrivedAt = arrivals.Select((a, i) => start + TimeSpan.FromMilliseconds(arrivals.Take(i + 1).Sum(x => x.Gap))).ToArray();
        var callsMade = new int[arrivals.Length];
        var holdingUntil = new DateTimeOffset?[arrivals.Length];
        var holders = new GateHolder?[arrivals.Length];
        var claimAt = new DateTimeOffset?[arrivals.Length];
        var grants = new List<int>();
        var now = start;

        string Id(int ask) => $"a{ask}-c{callsMade[ask]}";
        DateTimeOffset? Origin(int ask) => arrivals[ask].Background ? null : arrivedAt[ask];

        void Apply<T>(GateTransition<T> transition)
        {
            state = transition.State;
            foreach (var granted in transition.Effects.OfType<LeaseGranted>())
            {
                var ask = int.Parse(granted.Lease.Id[1..granted.Lease.Id.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                grants.Add(ask);

                // A place kept for an ask still preparing its next prompt is claimed when it asks for it.
                if (claimAt[ask] is null)
                {
                    Hold(ask, granted.Lease);
                }
            }
        }

        void Hold(int ask, GateHolder lease)
        {
            holders[ask] = lease;
            holdingUntil[ask] = now + TimeSpan.FromMilliseconds(arrivals[ask].Hold);
        }

        var arrived = new bool[arrivals.Length];
        for (var steps = 0; steps < 10_000; steps++)
        {
            var events = arrivedAt.Where((_, i) => !arrived[i]).Concat(holdingUntil.OfType<DateTimeOffset>()).Concat(claimAt.OfType<DateTimeOffset>()).ToList();
            if (events.Count == 0)
            {
                break;
            }

            now = events.Min();
            for (var ask = 0; ask < arrivals.Length; ask++)
            {
                if (holdingUntil[ask] == now)
                {
                    var lease = holders[ask]!;
                    callsMade[ask]++;
                    var more = callsMade[ask] < arrivals[ask].Calls();
                    (holdingUntil[ask], holders[ask]) = (null, null);
                    claimAt[ask] = more ? now + TimeSpan.FromMilliseconds(1) : null;
                    Apply(machine.Release(state, now, lease.Id, lease.FencingToken, more ? Id(ask) : null));
                }
            }

            for (var ask = 0; ask < arrivals.Length; ask++)
            {
                var arriving = !arrived[ask] && arrivedAt[ask] == now;
                if (claimAt[ask] != now && !arriving)
                {
                    continue;
                }

                (arrived[ask], claimAt[ask]) = (true, null);
                var priority = arrivals[ask].Background ? GatePriority.Background : GatePriority.Foreground;
                var before = grants.Count;
                var acquired = machine.Acquire(state, now, Id(ask), "sim", priority, Origin(ask));
                Apply(acquired);
                if (acquired.Result.Outcome == AcquireOutcome.Granted && grants.Count == before)
                {
                    // The place its previous call kept, granted already.
                    Hold(ask, acquired.Result.Lease!);
                }
            }
        }

        Assert.Empty(state.Holders);
        Assert.Empty(state.Waiters);
        return grants;
    }

    private sealed record Arrival(int Gap, int CallCount, int Hold, bool Background)
    {
        /// <summary>Background work makes one call; an ask makes its evidence and synthesis calls (and a retry, sometimes).</summary>
        public int Calls() => Background ? 1 : CallCount;
    }
}

using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// Requests waiting on pools of up to three gates (G12), each client taking the steps <see cref="PoolAcquisition"/>
/// takes (queue on each gate of its pool in turn, poll a ticket, withdraw a sibling, release), one step at a time
/// in a random interleaving. Checks after every step, then drains to check that every request is served.
/// </summary>
internal sealed class PoolSimulation(int capacity)
{
    private static readonly string[] Gates = ["g0", "g1", "g2"];

    private readonly GateMachine _machine = new(new GatePolicy { Capacity = capacity, LeaseTtl = TimeSpan.FromMinutes(10), WaiterTtl = TimeSpan.FromHours(1) });
    private readonly Dictionary<string, GateState> _states = Gates.ToDictionary(g => g, _ => GateState.Empty);
    private readonly List<PoolClient> _clients = [];
    private DateTimeOffset _now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private enum Phase
    {
        Queueing,
        Waiting,
        Withdrawing,
        Using,
        Done,
    }

    public void Run((int Kind, int Pick)[] steps)
    {
        foreach (var (kind, pick) in steps)
        {
            var active = _clients.Where(c => c.Phase != Phase.Done).ToList();
            if (kind <= 2 || active.Count == 0)
            {
                Arrive(pick);
            }
            else
            {
                Advance(active[pick % active.Count], pick);
            }

            _now += TimeSpan.FromMilliseconds(1);
        }

        for (var round = 0; round < 10_000 && _clients.Any(c => c.Phase != Phase.Done); round++)
        {
            foreach (var client in _clients.Where(c => c.Phase != Phase.Done).ToList())
            {
                Advance(client, round);
            }
        }

        Assert.All(_clients, c => Assert.Equal(Phase.Done, c.Phase));
        Assert.All(Gates, g => Assert.Empty(_states[g].Holders));
        Assert.All(Gates, g => Assert.Empty(_states[g].Waiters));
    }

    private void Arrive(int pick)
    {
        var size = 1 + (pick % 3);
        var first = pick / 3 % 3;
        var pool = Enumerable.Range(0, size).Select(i => Gates[(first + i) % 3]).ToList();
        _clients.Add(new PoolClient($"r{_clients.Count}", pool, pick % 2 == 0 ? GatePriority.Foreground : GatePriority.Background));
    }

    private void Advance(PoolClient client, int pick)
    {
        switch (client.Phase)
        {
            case Phase.Queueing:
                var gate = client.Pool[client.Queued.Count];
                var acquired = Apply(gate, s => _machine.Acquire(s, _now, client.Id, "sim", client.Priority));
                Assert.NotEqual(AcquireOutcome.QueueFull, acquired.Outcome);
                if (acquired.Outcome == AcquireOutcome.Granted)
                {
                    client.Take(gate);
                }
                else
                {
                    client.Queued.Add(gate);
                    client.Phase = client.Queued.Count == client.Pool.Count ? Phase.Waiting : Phase.Queueing;
                }

                break;
            case Phase.Waiting:
                var ticket = client.Queued[pick % client.Queued.Count];
                var poll = Apply(ticket, s => _machine.Poll(s, _now, client.Id));
                Assert.NotEqual(PollOutcome.Gone, poll.Outcome);
                if (poll.Outcome == PollOutcome.Granted)
                {
                    client.Take(ticket);
                }

                break;
            case Phase.Withdrawing:
                var sibling = client.Queued[0];
                client.Queued.RemoveAt(0);
                Apply(sibling, s => _machine.Cancel(s, _now, client.Id));

                // A withdrawn sibling leaves nothing behind, and its gate's free slot went to the next in line.
                Assert.False(IsOn(sibling, client.Id), $"{client.Id} still on {sibling} after withdrawing");
                Assert.True(_states[sibling].Holders.Length == capacity || _states[sibling].Waiters.Length == 0, $"{sibling} has a free slot and waiters");
                client.Phase = client.Queued.Count == 0 ? Phase.Using : Phase.Withdrawing;
                break;
            case Phase.Using:
                var lease = _states[client.Using!].Holders.Single(h => h.Id == client.Id);
                Assert.Equal(ReleaseOutcome.Released, Apply(client.Using!, s => _machine.Release(s, _now, lease.Id, lease.FencingToken)).Outcome);
                client.Phase = Phase.Done;
                break;
            default:
                break;
        }

        CheckInvariants();
    }

    private void CheckInvariants()
    {
        foreach (var gate in Gates)
        {
            var state = _states[gate];
            Assert.True(state.Holders.Length <= capacity, $"{gate}: {state.Holders.Length} holders > {capacity}");
            Assert.True(state.Holders.Length == capacity || state.Waiters.Length == 0, $"{gate}: a free slot while {state.Waiters.Length} wait");
        }

        foreach (var client in _clients)
        {
            var on = Gates.Where(g => IsOn(g, client.Id)).ToList();
            switch (client.Phase)
            {
                case Phase.Using:
                    // G12: the call runs holding exactly one lease of its pool, with no ticket left anywhere else.
                    Assert.Equal([client.Using!], on);
                    break;
                case Phase.Withdrawing:
                    // Grants it has not seen yet may sit on its siblings, but only on gates it is still to withdraw from.
                    Assert.All(on, g => Assert.True(g == client.Using || client.Queued.Contains(g), $"{client.Id} on {g}"));
                    break;
                case Phase.Done:
                    Assert.Empty(on);
                    break;
                default:
                    break;
            }
        }
    }

    private bool IsOn(string gate, string id) =>
        _states[gate].Holders.Any(h => h.Id == id) || _states[gate].Waiters.Any(w => w.Id == id);

    private T Apply<T>(string gate, Func<GateState, GateTransition<T>> operation)
    {
        var transition = operation(_states[gate]);
        _states[gate] = transition.State;
        return transition.Result;
    }

    private sealed class PoolClient(string id, List<string> pool, GatePriority priority)
    {
        public string Id { get; } = id;

        public List<string> Pool { get; } = pool;

        public GatePriority Priority { get; } = priority;

        /// <summary>Gates with a ticket of this request (while queueing and waiting), then the siblings left to withdraw.</summary>
        public List<string> Queued { get; } = [];

        public string? Using { get; private set; }

        public Phase Phase { get; set; }

        /// <summary>Granted on <paramref name="gate"/>: every other ticket is to be withdrawn before the call.</summary>
        public void Take(string gate)
        {
            Using = gate;
            Queued.Remove(gate);
            Phase = Queued.Count == 0 ? Phase.Using : Phase.Withdrawing;
        }
    }
}

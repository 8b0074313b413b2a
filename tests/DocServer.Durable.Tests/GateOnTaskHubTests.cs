using System.Collections.Concurrent;
using System.Diagnostics;
using DocServer.Core.Gates;

namespace DocServer.Durable.Tests;

/// <summary>Three "app instances" (separate storage clients) sharing one gate entity on a task hub on Azurite.</summary>
public sealed class GateOnTaskHubTests
{
    private sealed record Hold(GatePriority Priority, long Token, DateTimeOffset EnqueuedAt, DateTimeOffset GrantedAt, long Start, long End);

    [Fact]
    public async Task G3_G4_G5_ThreeInstancesWithThirtyAcquirersEach_NeverOverlapAndServeForegroundFirst()
    {
        await using var bed = await TaskHubGateBed.CreateAsync(new GatePolicy { LeaseTtl = TimeSpan.FromSeconds(10), WaiterTtl = TimeSpan.FromSeconds(30) });
        await bed.StartWorkerAsync();
        var clients = Enumerable.Range(1, 3).Select(i => bed.Client($"instance-{i}")).ToList();
        var random = new Random(20261121);
        var plan = Enumerable.Range(0, 90).Select(i => (Client: clients[i % 3], Priority: random.Next(3) == 0 ? GatePriority.Foreground : GatePriority.Background, Delay: random.Next(0, 400))).ToList();
        var holds = new ConcurrentBag<Hold>();
        var clock = Stopwatch.StartNew();

        var acquirers = plan.Select(p => Task.Run(async () =>
        {
            await Task.Delay(p.Delay);
            var acquisition = await p.Client.AcquireAsync(TaskHubGateBed.Gate, p.Priority, TimeSpan.FromMinutes(2), CancellationToken.None);
            await using var lease = acquisition.Lease ?? throw new InvalidOperationException($"not granted: {acquisition.Outcome}");
            var start = clock.ElapsedTicks;
            await Task.Delay(20);
            holds.Add(new Hold(p.Priority, lease.FencingToken, lease.EnqueuedAt, lease.GrantedAt, start, clock.ElapsedTicks));
        }));
        await Task.WhenAll(acquirers).WaitAsync(TimeSpan.FromMinutes(3));

        // Nothing lost or stuck: everyone held once, and the gate is empty again.
        Assert.Equal(90, holds.Count);
        Assert.Equal(90, holds.Select(h => h.Token).Distinct().Count());
        var state = await bed.StateAsync();
        Assert.Empty(state.Holders);
        Assert.Empty(state.Waiters);
        Assert.Equal(90, state.Counters.Grants);

        // G3: observed hold intervals (inside the true lease intervals) never overlap beyond capacity 1.
        var events = holds.SelectMany(h => new[] { (At: h.Start, Delta: 1), (At: h.End, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        var inside = 0;
        var most = 0;
        foreach (var e in events)
        {
            inside += e.Delta;
            most = Math.Max(most, inside);
        }

        Assert.Equal(1, most);

        // G4: a foreground request already queued when a background one was granted was granted before it.
        var foreground = holds.Where(h => h.Priority == GatePriority.Foreground).ToList();
        var background = holds.Where(h => h.Priority == GatePriority.Background).ToList();
        Assert.NotEmpty(foreground);
        Assert.NotEmpty(background);
        var passedOver = from f in foreground
                         from b in background
                         where f.EnqueuedAt < b.GrantedAt && f.Token > b.Token
                         select $"foreground #{f.Token} (queued {f.EnqueuedAt:HH:mm:ss.fff}) after background #{b.Token} (granted {b.GrantedAt:HH:mm:ss.fff})";
        Assert.Empty(passedOver);

        // G5: within a priority, grants follow queue order.
        foreach (var samePriority in holds.GroupBy(h => h.Priority))
        {
            var outOfOrder = from x in samePriority from y in samePriority where x.EnqueuedAt < y.EnqueuedAt && x.Token > y.Token select (x.Token, y.Token);
            Assert.Empty(outOfOrder);
        }
    }

    [Fact]
    public async Task G1_UnknownGateName_IsRefusedAndSignalsNothing()
    {
        await using var bed = await TaskHubGateBed.CreateAsync(GatePolicy.Default);
        await bed.StartWorkerAsync();

        await Assert.ThrowsAsync<UnknownGateException>(() => bed.Client().AcquireAsync("macbook", GatePriority.Foreground, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Null(await new TaskHub.TaskHubDurableWork(bed.Service()).ReadEntityStateAsync(Gates.GateEntity.Name, "macbook", CancellationToken.None));
    }
}

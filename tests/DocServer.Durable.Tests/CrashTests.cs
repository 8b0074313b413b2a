using System.Diagnostics;
using DocServer.Core.Gates;

namespace DocServer.Durable.Tests;

/// <summary>
/// Crashes with real processes on a task hub on Azurite: a holder or a waiter is killed (SIGKILL, no cleanup at
/// all) and the gate recovers by itself. No sweep runs anywhere: the entity's own reminder reclaims the lease.
/// </summary>
public sealed class CrashTests
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WaiterTtl = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task G6_KilledHolder_NextWaiterIsGrantedByTheEntitysReminderSoonAfterExpiry()
    {
        await using var bed = await TaskHubGateBed.CreateAsync(new GatePolicy { LeaseTtl = LeaseTtl, WaiterTtl = WaiterTtl });
        await bed.StartWorkerAsync();
        using var holder = StartHolder(bed, hostsWorker: false);
        await WaitForLineAsync(holder.Process, "GRANTED");
        var client = bed.Client("survivor");
        var waiting = client.AcquireAsync(TaskHubGateBed.Gate, GatePriority.Background, TimeSpan.FromMinutes(1), CancellationToken.None);
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, TimeSpan.FromSeconds(30));

        // Let the holder renew at least once, so the test proves renewal stops with the process.
        await Task.Delay(LeaseTtl / 2);
        holder.Process.Kill(entireProcessTree: true);
        await holder.Process.WaitForExitAsync();
        var lastExpiry = (await bed.StateAsync()).Holders.Single().ExpiresAt;

        await using var lease = (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Lease!;

        // G6: not before the dead holder's lease ran out; soon after (one reminder, one queue poll), not at a sweep.
        Assert.True(lease.GrantedAt >= lastExpiry, $"granted at {lease.GrantedAt:O}, before the dead lease expired at {lastExpiry:O}");
        Assert.True(lease.GrantedAt - lastExpiry <= TimeSpan.FromSeconds(4), $"granted {(lease.GrantedAt - lastExpiry).TotalMilliseconds} ms after expiry");
        var state = await bed.StateAsync();
        Assert.Equal(1, state.Counters.Expiries);
        Assert.Equal("survivor", state.Holders.Single().Owner);
    }

    [Fact]
    public async Task G6_KilledHolderThatHostedTheEntity_SurvivorTakesThePartitionAndIsGranted()
    {
        await using var bed = await TaskHubGateBed.CreateAsync(new GatePolicy { LeaseTtl = LeaseTtl, WaiterTtl = TimeSpan.FromSeconds(60) });

        // The doomed process starts its worker first, so it owns the hub's one partition (the entity's home).
        using var holder = StartHolder(bed, hostsWorker: true);
        await WaitForLineAsync(holder.Process, "GRANTED");
        await bed.StartWorkerAsync();
        var client = bed.Client("survivor");
        var waiting = client.AcquireAsync(TaskHubGateBed.Gate, GatePriority.Background, TimeSpan.FromMinutes(2), CancellationToken.None);
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, TimeSpan.FromSeconds(30));
        var killedAt = DateTimeOffset.UtcNow;
        holder.Process.Kill(entireProcessTree: true);
        await holder.Process.WaitForExitAsync();

        await using var lease = (await waiting.WaitAsync(TimeSpan.FromSeconds(60))).Lease!;

        // Bounded by the partition lease (10 s) plus the control queue's visibility (15 s) plus one lease TTL.
        var after = lease.GrantedAt - killedAt;
        Assert.True(after <= bed.Options.PartitionLeaseInterval + bed.Options.ControlQueueVisibilityTimeout + LeaseTtl + TimeSpan.FromSeconds(5), $"granted {after.TotalSeconds:0.0} s after the kill");
        Assert.Equal("survivor", (await bed.StateAsync()).Holders.Single().Owner);
    }

    [Fact]
    public async Task G7_KilledWaiter_IsDroppedAndNeverGranted()
    {
        await using var bed = await TaskHubGateBed.CreateAsync(new GatePolicy { LeaseTtl = LeaseTtl, WaiterTtl = WaiterTtl });
        await bed.StartWorkerAsync();
        var client = bed.Client("survivor");
        var holder = (await client.AcquireAsync(TaskHubGateBed.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(30), CancellationToken.None)).Lease!;
        using var doomed = StartHolder(bed, hostsWorker: false);
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, TimeSpan.FromSeconds(30));
        var doomedTicket = (await bed.StateAsync()).Waiters.Single().Id;
        doomed.Process.Kill(entireProcessTree: true);
        await doomed.Process.WaitForExitAsync();

        // Queued behind the dead waiter with the same priority: FIFO would serve the dead one first.
        var waiting = client.AcquireAsync(TaskHubGateBed.Gate, GatePriority.Foreground, TimeSpan.FromMinutes(1), CancellationToken.None);
        await EventuallyAsync(async () => (await bed.StateAsync()).Counters.DroppedWaiters == 1, TimeSpan.FromSeconds(30));
        await holder.DisposeAsync();
        await using var lease = (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Lease!;

        var state = await bed.StateAsync();
        Assert.NotEqual(doomedTicket, lease.Id);
        Assert.Equal(lease.Id, state.Holders.Single().Id);
        Assert.Empty(state.Waiters);
    }

    private static HolderProcess StartHolder(TaskHubGateBed bed, bool hostsWorker)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DocServer.GateHolderProcess.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, bed.Server.ConnectionString, bed.Options.HubName, TaskHubGateBed.Gate,
                $"{bed.Policy.LeaseTtl.TotalMilliseconds}", $"{bed.Policy.WaiterTtl.TotalMilliseconds}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (hostsWorker)
        {
            start.ArgumentList.Add("worker");
        }

        return new HolderProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the holder process"));
    }

    /// <summary>A holder process, killed when its test ends however it ends: a failed test would otherwise leave it renewing its lease.</summary>
    private sealed class HolderProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    private static async Task WaitForLineAsync(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"the holder process exited without printing {prefix}: {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"condition not reached within {within.TotalSeconds} s");
    }
}

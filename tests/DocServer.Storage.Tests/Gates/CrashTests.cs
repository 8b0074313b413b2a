using System.Diagnostics;
using DocServer.Core.Gates;

namespace DocServer.Storage.Tests.Gates;

/// <summary>
/// Crashes with real processes: a holder or a waiter is killed (SIGKILL, no cleanup at all) and the
/// gate must recover by itself, within one lease TTL plus one sweep interval.
/// </summary>
public sealed class CrashTests
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WaiterTtl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task KilledHolder_LeaseExpiresAndNextWaiterIsGrantedWithinTtlPlusOneSweep()
    {
        var bed = await AzuriteGateBed.CreateAsync(new GatePolicy { LeaseTtl = LeaseTtl, WaiterTtl = WaiterTtl });
        using var holder = StartHolder(bed);
        await WaitForLineAsync(holder, "GRANTED");
        var client = bed.Client("survivor");
        var waiting = client.AcquireAsync(AzuriteGateBed.Gate, GatePriority.Background, TimeSpan.FromMinutes(1), CancellationToken.None);
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1);

        // Let the holder renew at least once, so the test proves renewal stops with the process.
        await Task.Delay(LeaseTtl / 2);
        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        var lastExpiry = (await bed.StateAsync()).Holders.Single().ExpiresAt;
        using var sweeping = new CancellationTokenSource();
        var sweeper = SweepUntilCancelledAsync(client, sweeping.Token);

        await using var lease = (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Lease!;
        await sweeping.CancelAsync();
        await sweeper;

        // G6: not before the dead holder's lease ran out; and not much after it either.
        Assert.True(lease.GrantedAt >= lastExpiry, $"granted at {lease.GrantedAt:O}, before the dead lease expired at {lastExpiry:O}");
        // One sweep interval, plus slack for a loaded CI machine: far below a second lease TTL.
        Assert.True(lease.GrantedAt - lastExpiry <= SweepInterval + TimeSpan.FromSeconds(1.5), $"granted {(lease.GrantedAt - lastExpiry).TotalMilliseconds} ms after expiry");
        var state = await bed.StateAsync();
        Assert.Equal(1, state.Counters.Expiries);
        Assert.Equal("survivor", state.Holders.Single().Owner);
    }

    [Fact]
    public async Task KilledWaiter_IsDroppedAndNeverGranted()
    {
        var bed = await AzuriteGateBed.CreateAsync(new GatePolicy { LeaseTtl = LeaseTtl, WaiterTtl = WaiterTtl });
        var client = bed.Client("survivor");
        var holder = (await client.AcquireAsync(AzuriteGateBed.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(5), CancellationToken.None)).Lease!;
        using var doomed = StartHolder(bed);
        await EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1);
        var doomedTicket = (await bed.StateAsync()).Waiters.Single().Id;
        doomed.Kill(entireProcessTree: true);
        await doomed.WaitForExitAsync();

        // Queued behind the dead waiter with the same priority: FIFO would serve the dead one first.
        var waiting = client.AcquireAsync(AzuriteGateBed.Gate, GatePriority.Foreground, TimeSpan.FromMinutes(1), CancellationToken.None);
        await Task.Delay(WaiterTtl + SweepInterval);
        await holder.DisposeAsync();
        await using var lease = (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Lease!;

        var state = await bed.StateAsync();
        Assert.NotEqual(doomedTicket, lease.Id);
        Assert.Equal(lease.Id, state.Holders.Single().Id);
        Assert.Empty(state.Waiters);
        Assert.Equal(1, state.Counters.DroppedWaiters);
    }

    private static Process StartHolder(AzuriteGateBed bed)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DocServer.GateHolderProcess.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, bed.Server.ConnectionString, bed.Table.Name, AzuriteGateBed.Gate,
                $"{LeaseTtl.TotalMilliseconds}", $"{WaiterTtl.TotalMilliseconds}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the holder process");
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

    private static async Task SweepUntilCancelledAsync(GateClient client, CancellationToken cancellationToken)
    {
        // What the GateSweep timer does in the app.
        while (!cancellationToken.IsCancellationRequested)
        {
            await client.SweepAllAsync(CancellationToken.None);
            try
            {
                await Task.Delay(SweepInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not reached within 30 s");
    }
}

using DocServer.Core.Gates;
using DocServer.Testing;
using Microsoft.Extensions.Logging;

namespace DocServer.Core.Tests.Gates;

public sealed class GateClientTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task G1_UnknownGate_IsAnErrorNamingTheConfiguredGates()
    {
        var bed = new GateTestBed();

        var error = await Assert.ThrowsAsync<UnknownGateException>(() => bed.Client().AcquireAsync("macmini2", GatePriority.Foreground, Long, CancellationToken.None));

        Assert.Contains("macmini2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Configured gates: cloud, macmini, macstudio", error.Message, StringComparison.Ordinal);
        Assert.True(bed.Store.IsUntouched("macmini2"));
    }

    [Fact]
    public async Task G1_TwoClientsOnOneStore_ShareOneGate()
    {
        var bed = new GateTestBed();
        await using var held = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;

        var other = await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, TimeSpan.FromMilliseconds(150), CancellationToken.None);

        Assert.Equal(GateAcquisitionOutcome.WaitBudgetExceeded, other.Outcome);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task G6_AcquireAppliedButItsAnswerLost_IsUnavailable_AndTheLateGrantOrTicketIsTakenBack(bool free, bool requestTimedOut)
    {
        // The entity, behind on its queue, applies an acquire after its caller gave up; or storage took the signal though
        // its request timed out on the last retry, which the caller cannot tell from one that never arrived (CI: asks'
        // tickets granted after they had fallen back). The grant (or the ticket) must not sit there for a lease TTL (or
        // a waiter TTL) with every waiter behind it.
        var bed = new GateTestBed();
        await using var held = free ? null : (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease;
        bed.Store.FailsAfterApplying = requestTimedOut
            ? new AggregateException("Retry failed after 2 tries.", new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout."))
            : new TimeoutException($"Gate '{GateTestBed.Gate}' did not answer an AcquireCommand in time (a test's lost answer).");

        await Assert.ThrowsAsync<GateUnavailableException>(() => bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, CancellationToken.None));

        bed.Store.FailsAfterApplying = null;
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()) is { Waiters.Length: 0 } state && state.Holders.Length == (free ? 0 : 1), "the late ticket to be taken back");
    }

    [Fact]
    public async Task G2_CallTimeout_StartsOnlyOnceTheLeaseIsGranted()
    {
        var bed = new GateTestBed();
        var holder = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        // Generous against a loaded machine: the call itself takes 50 ms.
        var callTimeout = TimeSpan.FromSeconds(1);

        var waiting = bed.Calls().RunAsync(GateTestBed.Gate, GatePriority.Foreground, Long, callTimeout, async ct =>
        {
            await Task.Delay(50, ct);
            return "answer";
        }, CancellationToken.None);
        await Task.Delay(callTimeout * 2);
        await holder.DisposeAsync();
        var result = await waiting;

        Assert.Equal(GateCallOutcome.Completed, result.Outcome);
        Assert.Equal("answer", result.Value);
        Assert.True(result.Waited > callTimeout, $"waited {result.Waited}, longer than the call timeout, and still completed");
    }

    [Fact]
    public async Task G2_CallRunningPastItsTimeout_IsTimedOutAndReleasesTheGate()
    {
        var bed = new GateTestBed();
        var client = bed.Client();

        var result = await bed.Calls(client).RunAsync(GateTestBed.Gate, GatePriority.Foreground, Long, TimeSpan.FromMilliseconds(100), async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, CancellationToken.None);

        Assert.Equal(GateCallOutcome.TimedOut, result.Outcome);
        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Fact]
    public async Task G2_WaitBudgetExceeded_IsAnOutcomeAndWithdrawsTheTicket()
    {
        var bed = new GateTestBed();
        await using var held = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var started = 0;

        var result = await bed.Calls().RunAsync(GateTestBed.Gate, GatePriority.Foreground, TimeSpan.FromMilliseconds(150), Long, _ =>
        {
            started++;
            return Task.FromResult(1);
        }, CancellationToken.None);

        Assert.Equal(GateCallOutcome.WaitBudgetExceeded, result.Outcome);
        Assert.Equal(0, started);
        Assert.Empty((await bed.StateAsync()).Waiters);
        Assert.Equal(1, (await bed.StateAsync()).Counters.Cancellations);
    }

    [Fact]
    public async Task Acquire_CallerCancels_ThrowsAndWithdrawsTheTicket()
    {
        var bed = new GateTestBed();
        await using var held = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, cancel.Token));

        Assert.Empty((await bed.StateAsync()).Waiters);
    }

    [Fact]
    public async Task Acquire_WaiterInSameProcess_IsWokenByTheReleaseNotByPolling()
    {
        var bed = new GateTestBed();
        // Polls so slow that only the in-process signal can deliver the grant within the test.
        var client = bed.Client(new GateClientOptions { FirstPoll = TimeSpan.FromHours(1), FrontPollMax = TimeSpan.FromHours(1), PollMax = TimeSpan.FromHours(1) });
        var holder = (await client.AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var waiter = client.AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, TimeSpan.FromHours(2), CancellationToken.None);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, "the waiter to queue");

        await holder.DisposeAsync();
        var granted = await waiter.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(granted.IsGranted);
        await granted.Lease!.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_ReleasesAndTheNextWaiterIsGranted()
    {
        var bed = new GateTestBed();
        var holder = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var waiter = bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None);

        await holder.DisposeAsync();
        await holder.DisposeAsync();
        await using var next = (await waiter).Lease!;

        Assert.True(next.FencingToken > holder.FencingToken);
        Assert.Equal(1, (await bed.StateAsync()).Counters.Releases);
    }

    [Fact]
    public async Task Lease_RenewsItselfEveryThirdOfItsTtlWhileHeld()
    {
        var time = new ManualTimeProvider();
        var bed = new GateTestBed(time: time);
        var ttl = GatePolicy.Default.LeaseTtl;
        await using var lease = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, CancellationToken.None)).Lease!;

        for (var i = 1; i <= 6; i++)
        {
            time.Advance(ttl / 3);
            var expected = time.GetUtcNow() + ttl;
            await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()).Holders.Single().ExpiresAt == expected, $"renewal {i}");
        }

        Assert.False(lease.IsLost);
        Assert.Equal(time.GetUtcNow() + ttl, lease.ExpiresAt);
    }

    [Fact]
    public async Task Lease_RenewalFindingTheLeaseGone_FiresLostToken()
    {
        var time = new ManualTimeProvider();
        var bed = new GateTestBed(time: time);
        var lease = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, CancellationToken.None)).Lease!;

        // Someone else takes it away (as an expiry seen by another instance would).
        await bed.Client().ApplyAsync(GateTestBed.Gate, new CancelCommand(lease.Id), CancellationToken.None);
        time.Advance(GatePolicy.Default.LeaseTtl / 3);
        await GateTestBed.EventuallyAsync(() => Task.FromResult(lease.IsLost), "the lease to be reported lost");

        Assert.True(lease.LostToken.IsCancellationRequested);
        await lease.DisposeAsync();

        // The one release is the other instance's take-over; a lost lease is never released by its old holder.
        Assert.Equal(1, (await bed.StateAsync()).Counters.Releases);
    }

    [Fact]
    public async Task RunAsync_LeaseLostDuringTheCall_AbandonsTheCall()
    {
        var time = new ManualTimeProvider();
        var bed = new GateTestBed(time: time);
        var client = bed.Client();
        var inCall = new TaskCompletionSource<string>();

        var run = bed.Calls(client).RunAsync(GateTestBed.Gate, GatePriority.Foreground, Long, TimeSpan.FromHours(1), async ct =>
        {
            inCall.SetResult((await bed.StateAsync()).Holders.Single().Id);
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, CancellationToken.None);
        var leaseId = await inCall.Task;
        await bed.Client().ApplyAsync(GateTestBed.Gate, new CancelCommand(leaseId), CancellationToken.None);
        time.Advance(GatePolicy.Default.LeaseTtl / 3);

        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GateCallOutcome.LeaseLost, result.Outcome);
    }

    [Fact]
    public async Task G8_BackgroundWaiterGrantedAfterFiveMinutes_LogsStarvationWithWaitMs()
    {
        var time = new ManualTimeProvider();
        var bed = new GateTestBed(new GatePolicy { LeaseTtl = TimeSpan.FromMinutes(10), WaiterTtl = TimeSpan.FromMinutes(20) }, time);
        var logger = new RecordingLogger<GateClient>();
        var client = bed.Client(logger: logger);
        var holder = (await client.AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, CancellationToken.None)).Lease!;
        var waiter = client.AcquireAsync(GateTestBed.Gate, GatePriority.Background, TimeSpan.FromHours(1), CancellationToken.None);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, "the waiter to queue");

        time.Advance(TimeSpan.FromMinutes(6));
        await holder.DisposeAsync();
        await using var lease = (await waiter.WaitAsync(TimeSpan.FromSeconds(10))).Lease!;

        var warning = Assert.Single(logger.Entries, e => e.EventId == 101);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("wait_ms=360000", warning.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.EventId == 100 && e.Message.Contains("wait_ms=360000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task G9_Status_OfAGateAnOperationWouldChange_ShowsTheViewButWritesNothing()
    {
        // A holder whose lease ran out a minute ago: any operation would expire it and write the row; status must not.
        var bed = new GateTestBed();
        var dead = new GateMachine(GatePolicy.Default).Acquire(GateState.Empty, DateTimeOffset.UtcNow.AddMinutes(-1), "dead", "crashed", GatePriority.Background).State;
        bed.Store.Put(GateTestBed.Gate, dead);
        var applied = bed.Store.Applied;

        var status = await bed.Client().GetStatusAsync(GateTestBed.Gate, CancellationToken.None);

        Assert.Equal(0, status.Inflight);
        Assert.Equal(applied, bed.Store.Applied);
        Assert.Same(dead, await bed.StateAsync());
    }

    [Fact]
    public async Task G10_UngatedFallbackEndpoint_RunsWhileTheGateIsHeldAndTouchesNoRow()
    {
        var bed = new GateTestBed();
        await using var held = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, CancellationToken.None)).Lease!;

        var result = await bed.Calls().RunAsync(GateTestBed.Ungated, GatePriority.Foreground, TimeSpan.Zero, Long, _ => Task.FromResult("cloud answer"), CancellationToken.None);

        Assert.Equal(GateCallOutcome.Completed, result.Outcome);
        Assert.Equal("cloud answer", result.Value);
        Assert.True(bed.Store.IsUntouched(GateTestBed.Ungated));
    }

    [Fact]
    public void PollInterval_GrowsAndTheNextInLineNeverPollsSlowerThanFrontMax()
    {
        var client = new GateTestBed().Client();
        var options = client.Options;

        Assert.Equal(options.FirstPoll, client.NextPollInterval(0, 0, null));
        Assert.True(client.NextPollInterval(0, 1, null) > client.NextPollInterval(0, 0, null));
        Assert.Equal(options.FrontPollMax, client.NextPollInterval(0, 50, null));
        Assert.Equal(options.PollMax, client.NextPollInterval(100, 50, null));
        Assert.True(client.NextPollInterval(3, 50, null) > client.NextPollInterval(1, 50, null));
    }

    [Fact]
    public void PollInterval_NextInLineNearTheTypicalEnd_PollsAtHeadPollAndBacksOffWhenTheHolderRunsLong()
    {
        var client = new GateTestBed().Client();
        var options = client.Options;

        // Far from the end: no faster than the front cap; halving as the end nears; at the end, one round trip.
        Assert.Equal(options.FrontPollMax, client.NextPollInterval(0, 3, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(10), client.NextPollInterval(0, 3, TimeSpan.FromMilliseconds(20)));
        Assert.Equal(options.HeadPoll, client.NextPollInterval(0, 3, TimeSpan.Zero));

        // A holder well past the typical hold: back to the front cap, so a long call costs few reads.
        Assert.True(client.NextPollInterval(0, 3, TimeSpan.FromMilliseconds(-200)) > options.HeadPoll);
        Assert.Equal(options.FrontPollMax, client.NextPollInterval(0, 3, TimeSpan.FromSeconds(-5)));

        // Only the next in line polls fast.
        Assert.True(client.NextPollInterval(2, 50, TimeSpan.Zero) > options.FrontPollMax);
    }
}

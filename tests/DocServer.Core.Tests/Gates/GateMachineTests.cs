using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

/// <summary>The gate rules of docs/design.md, one or more tests each, on the pure state machine.</summary>
public sealed class GateMachineTests
{
    private static readonly TimeSpan Ttl = GatePolicy.Default.LeaseTtl;

    [Fact]
    public void G3_DefaultCapacity_IsOneSoSecondAcquirerQueues()
    {
        var gate = new GateScenario();

        Assert.Equal(AcquireOutcome.Granted, gate.Acquire("a").Outcome);
        var second = gate.Acquire("b");

        Assert.Equal(1, GatePolicy.Default.Capacity);
        Assert.Equal(AcquireOutcome.Queued, second.Outcome);
        Assert.Single(gate.State.Holders);
    }

    [Fact]
    public void G3_CapacityTwo_GrantsTwoAndQueuesTheThird()
    {
        var gate = new GateScenario(new GatePolicy { Capacity = 2 });

        var outcomes = new[] { "a", "b", "c" }.Select(id => gate.Acquire(id).Outcome).ToList();

        Assert.Equal([AcquireOutcome.Granted, AcquireOutcome.Granted, AcquireOutcome.Queued], outcomes);
    }

    [Fact]
    public void G4_Foreground_IsDispatchedBeforeEarlierBackground()
    {
        var gate = new GateScenario();
        gate.Acquire("holder");
        gate.Acquire("bg1", GatePriority.Background);
        gate.Acquire("bg2", GatePriority.Background);
        var fg = gate.Acquire("fg", GatePriority.Foreground);

        Assert.Equal(0, fg.Position);
        gate.Release("holder");

        Assert.True(gate.Holds("fg"));
        Assert.Equal(0, gate.Poll("bg1").Position);
        Assert.Equal(1, gate.Poll("bg2").Position);
    }

    [Fact]
    public void G4_UnspecifiedPriority_IsBackground()
    {
        Assert.Equal(GatePriority.Background, default);

        var gate = new GateScenario();
        gate.Acquire("holder");
        gate.Acquire("unspecified", priority: default);
        gate.Acquire("fg", GatePriority.Foreground);
        gate.Release("holder");

        Assert.True(gate.Holds("fg"));
    }

    [Fact]
    public void G4_PollReportsHowManyAreAheadByPriority()
    {
        var gate = new GateScenario();
        gate.Acquire("holder");
        gate.Acquire("bg");
        gate.Acquire("fg1", GatePriority.Foreground);
        gate.Acquire("fg2", GatePriority.Foreground);

        var bg = gate.Poll("bg");

        Assert.Equal(2, bg.Position);
        Assert.Equal(2, bg.AheadByPriority);
        Assert.Equal(0, gate.Poll("fg1").Position);
    }

    [Fact]
    public void G5_SamePriority_IsFirstComeFirstServed()
    {
        var gate = new GateScenario();
        gate.Acquire("holder");
        foreach (var id in new[] { "w1", "w2", "w3" })
        {
            gate.Acquire(id);
        }

        var order = new List<string>();
        var current = "holder";
        for (var i = 0; i < 3; i++)
        {
            gate.Release(current);
            current = gate.State.Holders.Single().Id;
            order.Add(current);
        }

        Assert.Equal(["w1", "w2", "w3"], order);
    }

    [Fact]
    public void G6_ForegroundArrival_DoesNotPreemptBackgroundHolder()
    {
        var gate = new GateScenario();
        var bg = gate.Acquire("bg").Lease!;

        var fg = gate.Acquire("fg", GatePriority.Foreground);
        gate.Advance(Ttl / 2);

        Assert.Equal(AcquireOutcome.Queued, fg.Outcome);
        Assert.Equal(RenewOutcome.Renewed, gate.Renew(bg).Outcome);
        Assert.True(gate.Holds("bg"));
        gate.Release(bg);
        Assert.True(gate.Holds("fg"));
    }

    [Fact]
    public void G7_CancelledWaiter_IsSkipped()
    {
        var gate = new GateScenario();
        gate.Acquire("holder");
        gate.Acquire("cancelled");
        gate.Acquire("next");

        Assert.Equal(CancelOutcome.Cancelled, gate.Cancel("cancelled").Outcome);
        gate.Release("holder");

        Assert.True(gate.Holds("next"));
        Assert.DoesNotContain(gate.Granted, l => l.Id == "cancelled");
    }

    [Fact]
    public void G7_WaiterNotSeenWithinTtl_IsDroppedAndNeverGranted()
    {
        var policy = new GatePolicy { LeaseTtl = TimeSpan.FromMinutes(5), WaiterTtl = TimeSpan.FromSeconds(30) };
        var gate = new GateScenario(policy);
        var holder = gate.Acquire("holder").Lease!;
        gate.Acquire("vanished");
        gate.Acquire("alive");

        // "alive" keeps polling; "vanished" does not.
        for (var i = 0; i < 8; i++)
        {
            gate.Advance(TimeSpan.FromSeconds(5));
            gate.Poll("alive");
        }

        gate.Release(holder);

        Assert.True(gate.Holds("alive"));
        Assert.False(gate.Waits("vanished"));
        Assert.Contains(gate.Effects.OfType<WaiterDropped>(), d => d.Waiter.Id == "vanished");
        Assert.DoesNotContain(gate.Granted, l => l.Id == "vanished");
        Assert.Equal(1, gate.State.Counters.DroppedWaiters);
    }

    [Fact]
    public void G7_TicketToClaim_SilentPastTheWaiterTtl_IsKept_AndGrantedNext()
    {
        // An orchestration's ticket: no process dies with it, and it sends no heartbeats; its own timer withdraws it.
        var policy = new GatePolicy { LeaseTtl = TimeSpan.FromMinutes(5), WaiterTtl = TimeSpan.FromSeconds(30) };
        var gate = new GateScenario(policy);
        var holder = gate.Acquire("holder").Lease!;
        gate.AcquireToClaim("orchestration", TimeSpan.FromSeconds(5));
        gate.Acquire("silent");

        gate.Advance(TimeSpan.FromMinutes(2));
        gate.Release(holder);

        Assert.True(gate.Holds("orchestration"));
        Assert.False(gate.Waits("silent"));
        Assert.Equal(1, gate.State.Counters.DroppedWaiters);
    }

    [Fact]
    public void G7_PollRefreshesLastSeenOnlyWhenStale()
    {
        var gate = new GateScenario();
        gate.Acquire("holder");
        gate.Acquire("w");
        var before = gate.State;

        gate.Advance(GatePolicy.Default.WaiterRefreshInterval / 2);
        gate.Poll("w");
        Assert.Same(before.Waiters[0], gate.State.Waiters[0]);

        gate.Advance(GatePolicy.Default.WaiterRefreshInterval);
        gate.Poll("w");
        Assert.Equal(gate.Now, gate.State.Waiters[0].LastSeen);
    }

    [Fact]
    public void G8_BackgroundGrantedAfterFiveMinutes_IsReportedStarving()
    {
        var gate = new GateScenario(new GatePolicy { LeaseTtl = TimeSpan.FromMinutes(10), WaiterTtl = TimeSpan.FromMinutes(10) });
        var holder = gate.Acquire("holder").Lease!;
        gate.Acquire("bg");
        gate.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        gate.Poll("bg");

        Assert.Equal(1, gate.Status().StarvingWaiters);
        gate.Release(holder);

        var grant = gate.Effects.OfType<LeaseGranted>().Single(g => g.Lease.Id == "bg");
        Assert.True(grant.Starving);
        Assert.False(gate.Effects.OfType<LeaseGranted>().Single(g => g.Lease.Id == "holder").Starving);
    }

    [Fact]
    public void G8_AgingOff_BackgroundStaysBehindLaterForeground()
    {
        var gate = new GateScenario(new GatePolicy { LeaseTtl = TimeSpan.FromMinutes(10), WaiterTtl = TimeSpan.FromMinutes(20) });
        var holder = gate.Acquire("holder").Lease!;
        gate.Acquire("old-bg");
        gate.Advance(TimeSpan.FromMinutes(6));
        gate.Poll("old-bg");
        gate.Acquire("fg", GatePriority.Foreground);

        gate.Release(holder);

        Assert.True(gate.Holds("fg"));
    }

    [Fact]
    public void G8_AgingOn_LiftsLongWaitingBackgroundAheadOfLaterForeground()
    {
        var gate = new GateScenario(new GatePolicy { LeaseTtl = TimeSpan.FromMinutes(10), WaiterTtl = TimeSpan.FromMinutes(20), AgingAfter = TimeSpan.FromMinutes(2) });
        var holder = gate.Acquire("holder").Lease!;
        gate.Acquire("old-bg");
        gate.Advance(TimeSpan.FromMinutes(3));
        gate.Poll("old-bg");
        gate.Acquire("fg", GatePriority.Foreground);

        gate.Release(holder);

        Assert.True(gate.Holds("old-bg"));
    }

    [Fact]
    public void G9_Status_ReportsHoldersWaitersAndOldestWait()
    {
        var gate = new GateScenario();
        gate.Acquire("holder", GatePriority.Background, owner: "digest-host");
        gate.Acquire("bg");
        gate.Advance(TimeSpan.FromSeconds(3));
        gate.Acquire("fg", GatePriority.Foreground);
        var status = gate.Status();

        Assert.Equal(1, status.Inflight);
        Assert.Equal("digest-host", status.Holders.Single().Owner);
        Assert.Equal(TimeSpan.FromSeconds(3), status.Holders.Single().HeldFor);
        Assert.Equal(1, status.WaitingForeground);
        Assert.Equal(1, status.WaitingBackground);
        Assert.Equal(TimeSpan.FromSeconds(3), status.OldestWait);
    }

    [Fact]
    public void Lease_RenewBeforeExpiry_ExtendsItByOneTtl()
    {
        var gate = new GateScenario();
        var lease = gate.Acquire("a").Lease!;
        gate.Advance(Ttl / 3);

        var renewed = gate.Renew(lease);

        Assert.Equal(RenewOutcome.Renewed, renewed.Outcome);
        Assert.Equal(gate.Now + Ttl, renewed.Lease!.ExpiresAt);
    }

    [Fact]
    public void Lease_HolderThatStopsRenewing_ExpiresAndNextWaiterIsGranted()
    {
        var gate = new GateScenario();
        var crashed = gate.Acquire("crashed").Lease!;
        gate.Acquire("next");
        gate.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        gate.Poll("next");
        Assert.True(gate.Holds("crashed"));

        gate.Advance(TimeSpan.FromMilliseconds(1));
        var poll = gate.Poll("next");

        Assert.Equal(PollOutcome.Granted, poll.Outcome);
        Assert.Equal(crashed.ExpiresAt, poll.Lease!.GrantedAt);
        Assert.Contains(gate.Effects.OfType<LeaseExpired>(), e => e.Lease.Id == "crashed");
        Assert.Equal(1, gate.State.Counters.Expiries);
    }

    [Fact]
    public void Lease_RenewAfterExpiry_IsExpiredEvenIfNobodyTookTheSlot()
    {
        var gate = new GateScenario();
        var lease = gate.Acquire("a").Lease!;
        gate.Advance(Ttl);

        Assert.Equal(RenewOutcome.Expired, gate.Renew(lease).Outcome);
        Assert.Empty(gate.State.Holders);
        Assert.Equal(RenewOutcome.NotHolder, gate.Renew(lease).Outcome);
    }

    [Fact]
    public void Lease_ExpiredLeaseRelease_DoesNotFreeTheNextHoldersSlot()
    {
        var gate = new GateScenario();
        var stale = gate.Acquire("stale").Lease!;
        gate.Acquire("next");
        gate.Advance(Ttl);
        gate.Poll("next");

        var release = gate.Release(stale);

        Assert.Equal(ReleaseOutcome.Stale, release.Outcome);
        Assert.True(gate.Holds("next"));
    }

    [Fact]
    public void Lease_ReleaseWithWrongFencingToken_IsStale()
    {
        var gate = new GateScenario();
        var lease = gate.Acquire("a").Lease!;

        var result = gate.Release(lease with { FencingToken = lease.FencingToken + 1 });

        Assert.Equal(ReleaseOutcome.Stale, result.Outcome);
        Assert.True(gate.Holds("a"));
    }

    [Fact]
    public void Lease_FencingTokens_GrowWithEveryGrant()
    {
        var gate = new GateScenario();
        for (var i = 0; i < 5; i++)
        {
            gate.Release(gate.Acquire($"r{i}").Lease!);
        }

        var tokens = gate.Granted.Select(l => l.FencingToken).ToList();
        Assert.Equal(tokens.Order(), tokens);
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void Lease_CancelAfterGrant_GivesTheLeaseBackAndGrantsNext()
    {
        var gate = new GateScenario();
        var holder = gate.Acquire("holder").Lease!;
        gate.Acquire("late-canceller");
        gate.Acquire("next");
        gate.Release(holder);
        Assert.True(gate.Holds("late-canceller"));

        Assert.Equal(CancelOutcome.ReleasedGrantedLease, gate.Cancel("late-canceller").Outcome);
        Assert.True(gate.Holds("next"));
        Assert.Equal(CancelOutcome.NotFound, gate.Cancel("late-canceller").Outcome);
    }

    [Fact]
    public void Acquire_RetriedWithSameRequestId_FindsTheFirstAttempt()
    {
        var gate = new GateScenario();
        var first = gate.Acquire("a").Lease!;
        gate.Acquire("b");

        Assert.Equal(first, gate.Acquire("a").Lease);
        Assert.Equal(gate.State.Waiters[0], gate.Acquire("b").Ticket);
        Assert.Single(gate.State.Waiters);
    }

    [Fact]
    public void Acquire_QueueAtItsBound_IsQueueFull()
    {
        var gate = new GateScenario(new GatePolicy { MaxWaiters = 2 });
        gate.Acquire("holder");
        gate.Acquire("w1");
        gate.Acquire("w2");

        var full = gate.Acquire("w3");

        Assert.Equal(AcquireOutcome.QueueFull, full.Outcome);
        Assert.Equal(2, gate.State.Waiters.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void Acquire_BadRequestId_IsRejectedWithoutChangingState(string id)
    {
        var gate = new GateScenario();

        Assert.Throws<ArgumentException>(() => gate.Acquire(id));
        Assert.Same(GateState.Empty, gate.State);
    }

    [Fact]
    public void Sweep_ExpiresDropsAndGrantsInOneWrite()
    {
        var gate = new GateScenario(new GatePolicy { LeaseTtl = TimeSpan.FromSeconds(10), WaiterTtl = TimeSpan.FromSeconds(10) });
        gate.Acquire("crashed");
        gate.Acquire("vanished");
        gate.Advance(TimeSpan.FromSeconds(5));
        gate.Acquire("alive");
        gate.Advance(TimeSpan.FromSeconds(6));

        var swept = gate.Sweep();

        Assert.Equal(new SweepResult(1, 1, 1), swept);
        Assert.True(gate.Holds("alive"));
    }

    [Fact]
    public void Policy_InvalidSettings_FailWithTheSettingName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GateMachine(new GatePolicy { Capacity = 0 }));
        Assert.Equal("Capacity", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GatePolicy { AgingAfter = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GatePolicy { LeaseTtl = TimeSpan.FromMilliseconds(1) }.Validate());
    }

    [Fact]
    public void Claim_UnclaimedGrant_LastsOnlyItsClaimWindow_ThenPassesOn()
    {
        var gate = new GateScenario();
        gate.AcquireToClaim("turn", TimeSpan.FromSeconds(2));
        gate.Acquire("ask", GatePriority.Foreground);

        gate.Advance(TimeSpan.FromSeconds(2));
        gate.Sweep();

        Assert.True(gate.Holds("ask"));
        Assert.Contains(gate.Effects, e => e is LeaseExpired { Lease.Id: "turn" });
    }

    [Fact]
    public void Claim_QueuedTicketsGrant_HasTheClaimWindow_AndTheClaimGivesTheFullTtl()
    {
        var gate = new GateScenario();
        gate.Acquire("holder");
        gate.AcquireToClaim("turn", TimeSpan.FromSeconds(2));
        gate.Advance(TimeSpan.FromSeconds(1));
        gate.Release("holder");
        Assert.Equal(gate.Now + TimeSpan.FromSeconds(2), gate.Holder("turn").ExpiresAt);

        gate.Advance(TimeSpan.FromSeconds(1));
        var claimed = gate.Claim("turn", "activity-run");

        Assert.Equal((ClaimOutcome.Claimed, gate.Now + Ttl), (claimed.Outcome, claimed.Lease!.ExpiresAt));
        gate.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RenewOutcome.Renewed, gate.Renew(gate.Holder("turn")).Outcome);
    }

    [Fact]
    public void Claim_WindowLongerThanTheTtl_IsCutToTheTtl_AndANonPositiveOneIsRefused()
    {
        var gate = new GateScenario();

        var lease = gate.AcquireToClaim("turn", Ttl * 3).Lease!;

        Assert.Equal(gate.Now + Ttl, lease.ExpiresAt);
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.AcquireToClaim("other", TimeSpan.Zero));
    }
}

using DocServer.Core.Gates;

namespace DocServer.Core.Tests.Gates;

/// <summary>G11 on the pure machine: foreground calls served by their request's arrival, places kept between calls, the typical hold.</summary>
public sealed class GateOrderTests
{
    [Fact]
    public void G11_CallOfAnEarlierRequest_IsServedBeforeAnEarlierQueuedCallOfALaterRequest()
    {
        var gate = new GateScenario();
        var askA = gate.Now;
        gate.Acquire("holder", GatePriority.Foreground);
        gate.Advance(TimeSpan.FromSeconds(1));
        gate.Acquire("b-evidence", GatePriority.Foreground);
        gate.Advance(TimeSpan.FromSeconds(1));
        gate.Acquire("a-synthesis", GatePriority.Foreground, origin: askA);

        Assert.Equal(0, gate.Poll("a-synthesis").Position);
        gate.Release("holder");

        Assert.True(gate.Holds("a-synthesis"));
        Assert.True(gate.Waits("b-evidence"));
    }

    [Fact]
    public void G11_ReleaseKeepingPlace_GrantsTheRequestsNextCallBeforeALaterRequest()
    {
        var gate = new GateScenario();
        gate.Acquire("a-evidence", GatePriority.Foreground);
        gate.Advance(TimeSpan.FromMilliseconds(100));
        gate.Acquire("b-evidence", GatePriority.Foreground);
        gate.Advance(TimeSpan.FromMilliseconds(300));

        gate.Release("a-evidence", keepPlaceFor: "a-synthesis");

        Assert.True(gate.Holds("a-synthesis"));
        Assert.Equal(gate.Holder("a-synthesis").Origin, gate.Effects.OfType<LeaseReleased>().Single().Lease.Origin);
        Assert.Equal(AcquireOutcome.Granted, gate.Acquire("a-synthesis", GatePriority.Foreground).Outcome);
        Assert.True(gate.Waits("b-evidence"));
    }

    [Fact]
    public void G11_ReleaseKeepingPlace_AnEarlierRequestWaiting_GoesFirstAndThePlaceWaitsNext()
    {
        var gate = new GateScenario();
        var askC = gate.Now;
        gate.Advance(TimeSpan.FromMilliseconds(50));
        gate.Acquire("a-evidence", GatePriority.Foreground);
        gate.Acquire("c-synthesis", GatePriority.Foreground, origin: askC);
        gate.Advance(TimeSpan.FromMilliseconds(10));
        gate.Acquire("d-evidence", GatePriority.Foreground);

        gate.Release("a-evidence", keepPlaceFor: "a-synthesis");

        Assert.True(gate.Holds("c-synthesis"));
        Assert.Equal(0, gate.Poll("a-synthesis").Position);
        Assert.Equal(1, gate.Poll("d-evidence").Position);
    }

    [Fact]
    public void G5_BackgroundReleaseKeepingPlace_JoinsTheBackOfTheBackgroundLine()
    {
        var gate = new GateScenario();
        gate.Acquire("summary-1");
        gate.Acquire("summary-2");

        gate.Release("summary-1", keepPlaceFor: "summary-1b");

        Assert.True(gate.Holds("summary-2"));
        Assert.True(gate.Waits("summary-1b"));
    }

    [Fact]
    public void G11_OriginInTheFuture_IsTakenAsNow()
    {
        var gate = new GateScenario();
        gate.Acquire("holder", GatePriority.Foreground);
        gate.Acquire("first", GatePriority.Foreground);
        gate.Acquire("claims-future", GatePriority.Foreground, origin: gate.Now + TimeSpan.FromHours(1));
        gate.Advance(TimeSpan.FromMilliseconds(10));
        gate.Acquire("later", GatePriority.Foreground);

        Assert.Equal(1, gate.Poll("claims-future").Position);
        Assert.Equal(2, gate.Poll("later").Position);
    }

    [Fact]
    public void G11_StaleLeaseKeepingPlace_KeepsNothing()
    {
        var gate = new GateScenario();
        var lease = gate.Acquire("a").Lease!;
        gate.Advance(GatePolicy.Default.LeaseTtl + TimeSpan.FromSeconds(1));

        Assert.Equal(ReleaseOutcome.Stale, gate.Release(lease, keepPlaceFor: "a-next").Outcome);
        Assert.False(gate.Holds("a-next") || gate.Waits("a-next"));
    }

    [Fact]
    public void Poll_NextInLine_IsToldWhenTheSlotIsExpectedToFree()
    {
        var gate = new GateScenario();
        gate.Acquire("first");
        gate.Advance(TimeSpan.FromMilliseconds(300));
        gate.Release("first");
        gate.Acquire("second");
        gate.Acquire("waiter");

        Assert.Null(new GateScenario().Poll("nobody").SlotFreeIn);
        gate.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), gate.Poll("waiter").SlotFreeIn);
        gate.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.Zero, gate.Poll("waiter").SlotFreeIn);
    }

    [Fact]
    public void MeanHold_LeaseGivenBackUnused_DoesNotCount()
    {
        var gate = new GateScenario();
        gate.Acquire("used");
        gate.Advance(TimeSpan.FromMilliseconds(400));
        gate.Release("used");
        gate.Acquire("unused");
        gate.Cancel("unused");

        Assert.Equal(TimeSpan.FromMilliseconds(400), gate.State.MeanHold);
        gate.Acquire("next");
        gate.Advance(TimeSpan.FromMilliseconds(900));
        gate.Release("next");
        Assert.Equal(TimeSpan.FromMilliseconds(500), gate.State.MeanHold);
    }

    [Fact]
    public void Json_OriginsAndTypicalHold_RoundTrip_AndARowWithoutThemReadsAsBefore()
    {
        var gate = new GateScenario();
        var ask = gate.Now;
        gate.Acquire("holder", GatePriority.Foreground);
        gate.Advance(TimeSpan.FromSeconds(2));
        gate.Acquire("synthesis", GatePriority.Foreground, origin: ask);
        gate.Release("holder", keepPlaceFor: "holder-next");

        var json = GateStateJson.Serialize(gate.State);
        var back = GateStateJson.Deserialize(json, "test");

        Assert.Equal(gate.State.Waiters.AsEnumerable(), back.Waiters.AsEnumerable());
        Assert.Equal(gate.State.Holders.AsEnumerable(), back.Holders.AsEnumerable());
        Assert.Equal(gate.State.MeanHold, back.MeanHold);
        Assert.Contains("\"origin\":", json, StringComparison.Ordinal);

        const string Older = """{"v":1,"holders":[],"waiters":[{"id":"w","owner":"o","p":0,"seq":1,"enq":1000,"seen":1000}],"nextSeq":2,"nextToken":1,"counters":{"grants":0,"releases":0,"expiries":0,"dropped":0,"cancels":0}}""";
        var older = GateStateJson.Deserialize(Older, "test");
        Assert.Equal(older.Waiters[0].EnqueuedAt, older.Waiters[0].Origin);
        Assert.Null(older.MeanHold);
    }
}

using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DocServer.Testing;

namespace DocServer.Durable.Tests;

/// <summary>The gate entity's operations through the shim, with no backend (G1–G13 are the machine's own tests).</summary>
public sealed class GateEntityTests
{
    private static readonly GatePolicy Policy = new() { LeaseTtl = TimeSpan.FromSeconds(30), WaiterTtl = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Apply_EveryOperation_AnswersAsTheMachineDoes()
    {
        var time = new ManualTimeProvider();
        var gate = new EntityBatch(Policy, time);

        var first = await gate.ApplyAsync(new AcquireCommand("a", "one", GatePriority.Background, null));
        var second = await gate.ApplyAsync(new AcquireCommand("b", "two", GatePriority.Foreground, null));
        var poll = await gate.ApplyAsync(new PollCommand("b"));
        time.Advance(TimeSpan.FromSeconds(5));
        var renewed = await gate.ApplyAsync(new RenewCommand("a", first.Lease!.FencingToken));
        var health = await gate.ApplyAsync(new ReportHealthCommand(new GateHealthMark(time.GetUtcNow(), "connection refused", "test")));
        var released = await gate.ApplyAsync(new ReleaseCommand("a", first.Lease.FencingToken, null));
        var cancelled = await gate.ApplyAsync(new CancelCommand("b"));
        var swept = await gate.ApplyAsync(new SweepCommand());

        Assert.Equal(AcquireOutcome.Granted, first.Outcome);
        Assert.Equal((AcquireOutcome.Queued, 0), (second.Outcome, second.Position));
        Assert.Equal(PollOutcome.Waiting, poll.Outcome);
        Assert.Equal((RenewOutcome.Renewed, time.GetUtcNow() + Policy.LeaseTtl), (renewed.Outcome, renewed.Lease!.ExpiresAt));
        Assert.True(health);
        Assert.Equal(ReleaseOutcome.Released, released.Outcome);
        Assert.Equal(CancelOutcome.ReleasedGrantedLease, cancelled.Outcome);
        Assert.Equal(new SweepResult(0, 0, 0), swept);
        var state = gate.Gate_;
        Assert.Empty(state.Holders);
        Assert.Empty(state.Waiters);
        Assert.Equal("connection refused", state.Health!.LastError);
        Assert.Equal(2, state.Counters.Grants);
    }

    [Fact]
    public async Task G4_ForegroundQueuedAfterBackground_IsGrantedFirst()
    {
        var gate = new EntityBatch(Policy, new ManualTimeProvider());
        var holder = await gate.ApplyAsync(new AcquireCommand("h", "holder", GatePriority.Background, null));
        await gate.ApplyAsync(new AcquireCommand("bg", "background", GatePriority.Background, null));
        await gate.ApplyAsync(new AcquireCommand("fg", "foreground", GatePriority.Foreground, null));

        await gate.ApplyAsync(new ReleaseCommand("h", holder.Lease!.FencingToken, null));

        Assert.Equal("fg", gate.Gate_.Holders.Single().Id);
        Assert.Equal("bg", gate.Gate_.Waiters.Single().Id);
    }

    [Fact]
    public async Task G6_ExpiredLease_PassesOnAtTheReminderTheEntitySentItself()
    {
        var time = new ManualTimeProvider();
        var gate = new EntityBatch(Policy with { WaiterTtl = TimeSpan.FromMinutes(2) }, time);
        var dead = await gate.ApplyAsync(new AcquireCommand("dead", "crashed", GatePriority.Foreground, null));
        await gate.ApplyAsync(new AcquireCommand("next", "waiter", GatePriority.Background, null));

        // The reminder is due just after the lease runs out, addressed to the entity itself.
        var reminder = Assert.Single(gate.Signals, s => s.Name == GateEntity.RemindOperation);
        Assert.Equal("@gate@" + EntityBatch.Gate, reminder.InstanceId);
        Assert.InRange(reminder.ScheduledTime!.Value, dead.Lease!.ExpiresAt.UtcDateTime, dead.Lease.ExpiresAt.UtcDateTime.AddSeconds(1));

        time.Advance(Policy.LeaseTtl + TimeSpan.FromMilliseconds(100));
        await gate.RemindAsync();

        var holder = gate.Gate_.Holders.Single();
        Assert.Equal("next", holder.Id);
        Assert.True(holder.FencingToken > dead.Lease.FencingToken);
        Assert.Equal(1, gate.Gate_.Counters.Expiries);
    }

    [Fact]
    public async Task G6_StaleRelease_FreesNothing()
    {
        var time = new ManualTimeProvider();
        var gate = new EntityBatch(Policy, time);
        var old = await gate.ApplyAsync(new AcquireCommand("old", "slow", GatePriority.Foreground, null));
        time.Advance(Policy.LeaseTtl + TimeSpan.FromSeconds(1));
        var current = await gate.ApplyAsync(new AcquireCommand("new", "fresh", GatePriority.Foreground, null));

        var late = await gate.ApplyAsync(new ReleaseCommand("old", old.Lease!.FencingToken, null));

        Assert.Equal(ReleaseOutcome.Stale, late.Outcome);
        Assert.Equal(current.Lease!.FencingToken, gate.Gate_.Holders.Single().FencingToken);
    }

    [Fact]
    public async Task Apply_WithReplyId_KeepsTheAnswerForItsReaderThenForgetsIt()
    {
        var time = new ManualTimeProvider();
        var gate = new EntityBatch(Policy, time);
        var acquire = new AcquireCommand("a", "one", GatePriority.Foreground, null);

        await gate.ApplyAsync(acquire, replyId: "r1");
        var kept = gate.State!.Replies[GateEntity.ReplyKey(acquire, "r1")];
        time.Advance(GateEntity.ReplyLifetime + TimeSpan.FromSeconds(1));
        await gate.ApplyAsync(new SweepCommand(), replyId: "r2");

        Assert.Equal(("r1", AcquireOutcome.Granted), (kept.Id, acquire.ReadResult(kept.Result).Outcome));
        Assert.Equal(["r2"], gate.State!.Replies.Keys);
    }

    [Fact]
    public async Task Apply_AnswersAboutOneTicket_KeepOnlyTheLatest_OnePerTicket()
    {
        // Forty asks at once must not keep every answer of the last seconds: the state would outgrow a table value.
        var gate = new EntityBatch(Policy, new ManualTimeProvider());
        var acquired = await gate.ApplyAsync(new AcquireCommand("holder", "one", GatePriority.Foreground, null), replyId: "a");
        await gate.ApplyAsync(new AcquireCommand("waiter", "two", GatePriority.Background, null), replyId: "w");

        for (var i = 0; i < 3; i++)
        {
            await gate.ApplyAsync(new RenewCommand("holder", acquired.Lease!.FencingToken), replyId: $"r{i}");
        }

        await gate.ApplyAsync(new ReleaseCommand("holder", acquired.Lease!.FencingToken, null), replyId: "released");
        await gate.ApplyAsync(new SweepCommand(), replyId: "s1");
        await gate.ApplyAsync(new SweepCommand(), replyId: "s2");

        Assert.Equal(["holder", "s1", "s2", "waiter"], gate.State!.Replies.Keys.Order());
        Assert.Equal(("released", "w"), (gate.State.Replies["holder"].Id, gate.State.Replies["waiter"].Id));
    }

    [Fact]
    public void ReplyLifetime_OutlastsManyReadsOfAReader()
    {
        Assert.True(GateEntity.ReplyLifetime >= 50 * new EntityGateStoreOptions().MaxReadInterval);
    }

    [Fact]
    public async Task Remind_WithNothingDue_ChangesNothingAndSendsNoReminder()
    {
        var gate = new EntityBatch(Policy, new ManualTimeProvider());

        await gate.RemindAsync();

        Assert.Empty(gate.Gate_.Holders);
        Assert.Empty(gate.Signals);
    }

    [Fact]
    public async Task Push_QueuedOrchestrationGranted_StartsTheNotifierWithItsGrant_Once()
    {
        var gate = new EntityBatch(Policy, new ManualTimeProvider());
        var holder = await gate.ApplyAsync(new AcquireCommand("h", "holder", GatePriority.Foreground, null));
        var queued = await gate.ApplyAsync(new AcquireCommand("t", "extract-1", GatePriority.Background, null), notify: "extract-1@v1");
        Assert.Equal(AcquireOutcome.Queued, queued.Outcome);
        Assert.Empty(gate.Started);

        await gate.ApplyAsync(new ReleaseCommand("h", holder.Lease!.FencingToken, null));
        await gate.ApplyAsync(new SweepCommand());

        var started = Assert.Single(gate.Started);
        var lease = gate.Gate_.Holders.Single();
        var grant = new GateGrant(EntityBatch.Gate, "t", lease.FencingToken);
        Assert.Equal(GateGrantNotifier.Name, started.Name);
        Assert.Equal(GateGrantNotifier.InstanceId(grant), started.InstanceId);
        Assert.Equal(new GateGrantNotice("extract-1@v1", grant), Microsoft.DurableTask.Converters.JsonDataConverter.Default.Deserialize<GateGrantNotice>(started.Input));
        Assert.Empty(gate.State!.Notify);
    }

    [Fact]
    public async Task Push_AcquireGrantedAtOnce_IsAnsweredNotNotified_AndAWithdrawnTicketIsForgotten()
    {
        var gate = new EntityBatch(Policy, new ManualTimeProvider());
        var first = await gate.ApplyAsync(new AcquireCommand("a", "orch-a", GatePriority.Background, null), notify: "orch-a");
        await gate.ApplyAsync(new AcquireCommand("b", "orch-b", GatePriority.Background, null), notify: "orch-b");
        Assert.Equal(["b"], gate.State!.Notify.Keys);

        await gate.ApplyAsync(new CancelCommand("b"));
        await gate.ApplyAsync(new ReleaseCommand("a", first.Lease!.FencingToken, null));

        Assert.Equal(AcquireOutcome.Granted, first.Outcome);
        Assert.Empty(gate.Started);
        Assert.Empty(gate.State!.Notify);
    }

    [Fact]
    public async Task Claim_FirstClaimantRunsTheGrant_ASecondRunQueuesForItsOwn()
    {
        var time = new ManualTimeProvider();
        var gate = new EntityBatch(Policy, time);
        var granted = await gate.ApplyAsync(new AcquireCommand("t", "orch", GatePriority.Background, null), notify: "orch");
        time.Advance(TimeSpan.FromSeconds(10));

        var first = await gate.ApplyAsync(new ClaimCommand("t", granted.Lease!.FencingToken, "run-1"));
        var again = await gate.ApplyAsync(new ClaimCommand("t", granted.Lease.FencingToken, "run-1"));
        var second = await gate.ApplyAsync(new ClaimCommand("t", granted.Lease.FencingToken, "run-2"));
        var stale = await gate.ApplyAsync(new ClaimCommand("t", granted.Lease.FencingToken + 1, "run-3"));

        Assert.Equal((ClaimOutcome.Claimed, time.GetUtcNow() + Policy.LeaseTtl, "run-1"), (first.Outcome, first.Lease!.ExpiresAt, first.Lease.ClaimedBy));
        Assert.Equal(ClaimOutcome.Claimed, again.Outcome);
        Assert.Equal(ClaimOutcome.ClaimedByAnother, second.Outcome);
        Assert.Equal(ClaimOutcome.NotHolder, stale.Outcome);
        Assert.Equal("run-1", gate.Gate_.Holders.Single().ClaimedBy);
    }
}

using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Testing;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// The one wrapper for a gated model call: what a call came to (an outcome or an exception) sorted into the
/// failure its callers fall back on, the gate left free whatever happened, and only the caller's cancel thrown.
/// </summary>
public sealed class GatedModelCallsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly LanguageModelRequest Prompt = new("q", 10);

    [Fact]
    public async Task CompleteAsync_ModelAnswers_NoFailure_AndTheReplyAndEndpoint()
    {
        var bed = new GateTestBed();

        var call = await bed.Calls().CompleteAsync(ScriptedModel.Pool(_ => Task.FromResult("reply")), GatePriority.Foreground, Long, Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.None, "reply", GateTestBed.Gate, false), (call.Failure, call.Value, call.Endpoint, call.HostAtFault));
        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Fact]
    public async Task CompleteAsync_GateHeldPastTheBudget_IsGateBusy_AndNothingWasCalled()
    {
        var bed = new GateTestBed();
        await using var held = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var asked = 0;

        var call = await bed.Calls().CompleteAsync(ScriptedModel.Pool(_ => Task.FromResult($"{++asked}")), GatePriority.Foreground, TimeSpan.FromMilliseconds(100), Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.GateBusy, 0), (call.Failure, asked));
        Assert.True(call.Waited >= TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task CompleteAsync_WithAGrant_ClaimsItInsteadOfQueuing_TheGrantAlone_AndReleasesIt()
    {
        var bed = new GateTestBed();
        var granted = await bed.Store.ApplyAsync(GateTestBed.Gate, new AcquireCommand("orchestration-turn", "orch", GatePriority.Background, null), CancellationToken.None);
        var grant = new GateGrant(GateTestBed.Gate, "orchestration-turn", granted.Result.Lease!.FencingToken);
        var holdersDuringCall = new List<GateHolder>();

        var call = await bed.Calls().CompleteAsync(
            ScriptedModel.Pool(async _ => { holdersDuringCall.AddRange((await bed.StateAsync()).Holders); return "reply"; }),
            GatePriority.Background, Long, Long, Prompt, GateRequest.WithGrant(grant), CancellationToken.None);

        Assert.Equal(ModelCallFailure.None, call.Failure);
        var held = Assert.Single(holdersDuringCall);
        Assert.Equal(("orchestration-turn", grant.FencingToken), (held.Id, held.FencingToken));
        Assert.NotNull(held.ClaimedBy);
        Assert.Empty((await bed.StateAsync()).Holders);
        Assert.Empty((await bed.StateAsync()).Waiters);
    }

    [Fact]
    public async Task CompleteAsync_GrantClaimedByAnEarlierRun_QueuesForItsOwnLease_NeverCallsBesideIt()
    {
        var bed = new GateTestBed();
        var granted = await bed.Store.ApplyAsync(GateTestBed.Gate, new AcquireCommand("orchestration-turn", "orch", GatePriority.Background, null), CancellationToken.None);
        var grant = new GateGrant(GateTestBed.Gate, "orchestration-turn", granted.Result.Lease!.FencingToken);
        await bed.Store.ApplyAsync(GateTestBed.Gate, new ClaimCommand(grant.LeaseId, grant.FencingToken, "first-run"), CancellationToken.None);
        var asked = 0;

        var call = await bed.Calls().CompleteAsync(
            ScriptedModel.Pool(_ => Task.FromResult($"{++asked}")), GatePriority.Background, TimeSpan.FromMilliseconds(300), Long, Prompt, GateRequest.WithGrant(grant), CancellationToken.None);

        Assert.Equal((ModelCallFailure.GateBusy, 0), (call.Failure, asked));
        Assert.Equal("first-run", (await bed.StateAsync()).Holders.Single().ClaimedBy);
    }

    [Fact]
    public async Task CompleteAsync_HostRefuses_IsFailed_TheHostsFault_AndTheLeaseIsGivenBack()
    {
        var bed = new GateTestBed();

        var call = await bed.Calls(health: new Health()).CompleteAsync(ScriptedModel.Pool(_ => throw new HttpRequestException("Connection refused")), GatePriority.Background, Long, Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.Failed, true), (call.Failure, call.HostAtFault));
        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Fact]
    public async Task CompleteAsync_ClientThrowsSomethingElse_IsFailed_NotTheHostsFault_WithTheErrorInTheDetail()
    {
        var bed = new GateTestBed();

        var call = await bed.Calls(health: new Health()).CompleteAsync(ScriptedModel.Pool(_ => throw new FormatException("bad bytes")), GatePriority.Foreground, Long, Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.Failed, false), (call.Failure, call.HostAtFault));
        Assert.Equal("FormatException: bad bytes", call.Detail);
        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task CompleteAsync_Stalled_IsTimedOut_TheHostsFaultOnlyWhenItsHealthWentDown(bool down, bool atFault)
    {
        var bed = new GateTestBed();
        var health = new Health();

        var call = await bed.Calls(health: health).CompleteAsync(ScriptedModel.Pool(_ =>
        {
            health.Down = down;
            throw new ModelStalledException(GateTestBed.Gate, true, TimeSpan.FromSeconds(1));
        }), GatePriority.Background, Long, Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.TimedOut, atFault), (call.Failure, call.HostAtFault));
    }

    [Fact]
    public async Task CompleteAsync_HostKnownDown_IsHostDown_NobodyQueues()
    {
        var bed = new GateTestBed();

        var call = await bed.Calls(health: new Health { Down = true }).CompleteAsync(ScriptedModel.Pool(_ => Task.FromResult("never")), GatePriority.Foreground, Long, Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.HostDown, true), (call.Failure, call.HostAtFault));
        Assert.True(bed.Store.IsUntouched(GateTestBed.Gate));
    }

    [Fact]
    public async Task CompleteAsync_GateStoreUnreachable_IsGateUnavailable_AndTheModelIsNeverCalled()
    {
        var bed = new GateTestBed();
        bed.Store.Failure = new GateUnavailableException(GateTestBed.Gate, new TimeoutException("storage away"), storeUnreachable: true);
        var asked = 0;

        var call = await bed.Calls().CompleteAsync(ScriptedModel.Pool(_ => Task.FromResult($"{++asked}")), GatePriority.Foreground, Long, Long, Prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.GateUnavailable, 0), (call.Failure, asked));
    }

    [Fact]
    public async Task CompleteAsync_CallerCancels_Throws_AndTheLeaseIsGivenBack()
    {
        var bed = new GateTestBed();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.Calls().CompleteAsync(ScriptedModel.Pool(async token =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        }), GatePriority.Foreground, Long, Long, Prompt, null, cancel.Token));

        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()).Holders.Length == 0, "the lease to be given back");
    }

    [Fact]
    public async Task G1_TimedOutCallStillClosing_KeepsTheLeaseUntilTheCallHasEnded()
    {
        var bed = new GateTestBed();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Like a client whose connection takes a moment to close after its cancel: the host is busy until then.
        var call = bed.Calls().CompleteAsync(ScriptedModel.Pool(async token =>
        {
            await UntilCancelledAsync(token);
            cancelled.SetResult();
            await closed.Task;
            throw new OperationCanceledException(token);
        }), GatePriority.Foreground, Long, TimeSpan.FromMilliseconds(50), Prompt, null, CancellationToken.None);
        await cancelled.Task;
        await Task.Delay(200);

        Assert.False(call.IsCompleted);
        Assert.Single((await bed.StateAsync()).Holders);
        closed.SetResult();
        Assert.Equal(ModelCallFailure.TimedOut, (await call).Failure);
        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Fact]
    public async Task G1_AbandonedCallThatNeverEnds_ItsLeaseIsGivenBackAfterTheGrace()
    {
        var time = new ManualTimeProvider();
        var bed = new GateTestBed(time: time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callTimeout = TimeSpan.FromSeconds(1);

        var call = bed.Calls().CompleteAsync(ScriptedModel.Pool(async token =>
        {
            started.SetResult();
            await UntilCancelledAsync(token);
            cancelled.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return "never";
        }), GatePriority.Foreground, Long, callTimeout, Prompt, null, CancellationToken.None);
        await started.Task;
        time.Advance(callTimeout);
        await cancelled.Task;
        // The wrapper starts its grace as the cancel reaches it; the clock moves only once it has (stepping the clock in
        // a fixed rhythm of real time overshot the grace on a loaded machine, a CI trial).
        await GateTestBed.EventuallyAsync(() => Task.FromResult(time.IsArmedFor(GatedModelCalls.AbandonGrace)), "the grace to start");
        var tick = TimeSpan.FromMilliseconds(100);
        time.Advance(GatedModelCalls.AbandonGrace - tick);
        await Task.Delay(200);
        Assert.False(call.IsCompleted, "the call's lease was given back before the grace ran out");
        time.Advance(tick);

        Assert.Equal(ModelCallFailure.TimedOut, (await call).Failure);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()).Holders.Length == 0, "the lease to be given back");
    }

    private static Task UntilCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(cancelled.SetResult);
        return cancelled.Task;
    }

    private sealed class Health : IEndpointHealth
    {
        public bool Down { get; set; }

        public bool IsDown(string endpoint) => Down;

        public bool IsHostFailure(Exception exception) => exception is HttpRequestException;
    }
}

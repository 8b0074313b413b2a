using DocServer.Core.Gates;
using DocServer.Core.Llm;

namespace DocServer.Core.Tests.Gates;

/// <summary>G11 places kept between a request's calls, and G12 pools, through real clients on one in-memory store.</summary>
public sealed class GatePoolTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly string[] Pool = [GateTestBed.Gate, GateTestBed.Gate2];

    /// <summary>Polls rarely, so a test decides what happens before this client looks (no in-process signal crosses clients).</summary>
    private static readonly GateClientOptions SlowPolls = new() { FirstPoll = TimeSpan.FromMilliseconds(400), FrontPollMax = TimeSpan.FromMilliseconds(400), HeadPoll = TimeSpan.FromMilliseconds(400), PollMax = TimeSpan.FromMilliseconds(400) };

    [Fact]
    public async Task G12_FirstGateBusy_GrantsOnTheFreeOneAndLeavesNoTicketBehind()
    {
        var bed = new GateTestBed();
        await using var busy = (await bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;

        await using var lease = (await bed.Client().AcquireAsync(Pool, GatePriority.Foreground, Long, null, CancellationToken.None)).Lease!;

        Assert.Equal(GateTestBed.Gate2, lease.Gate);
        Assert.Empty((await bed.StateAsync(GateTestBed.Gate)).Waiters);
    }

    [Fact]
    public async Task G12_BothBusy_TakesTheFirstReleaseAndWithdrawsFromTheOtherGate()
    {
        var bed = new GateTestBed();
        var holders = bed.Client();
        var first = (await holders.AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        await using var second = (await holders.AcquireAsync(GateTestBed.Gate2, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var waiting = bed.Client().AcquireAsync(Pool, GatePriority.Foreground, Long, null, CancellationToken.None);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync(GateTestBed.Gate2)).Waiters.Length == 1, "a ticket on both gates");

        await first.DisposeAsync();
        await using var lease = (await waiting).Lease!;

        Assert.Equal(GateTestBed.Gate, lease.Gate);
        Assert.Empty((await bed.StateAsync(GateTestBed.Gate2)).Waiters);
    }

    [Fact]
    public async Task G12_WithdrawalThatLostToAGrant_GivesTheLeaseBackAtOnceToTheNextInLine()
    {
        var bed = new GateTestBed();
        var holders = bed.Client();
        var first = (await holders.AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var second = (await holders.AcquireAsync(GateTestBed.Gate2, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var pooled = bed.Client(SlowPolls).AcquireAsync(Pool, GatePriority.Foreground, Long, null, CancellationToken.None);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync(GateTestBed.Gate2)).Waiters.Length == 1, "a ticket on both gates");
        var next = bed.Client().AcquireAsync(GateTestBed.Gate2, GatePriority.Background, Long, CancellationToken.None);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync(GateTestBed.Gate2)).Waiters.Length == 2, "the next in line behind it");

        // Both gates grant the pooled request before it looks: it takes one and gives the other back.
        await first.DisposeAsync();
        await second.DisposeAsync();
        Assert.Equal(2, (await bed.StateAsync(GateTestBed.Gate)).Holders.Length + (await bed.StateAsync(GateTestBed.Gate2)).Holders.Length);
        await using var taken = (await pooled).Lease!;
        var after = await next.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(GateTestBed.Gate, taken.Gate);
        Assert.True(after.IsGranted, "the gate given back went to the next in line at once, not after a lease TTL");
        await after.Lease!.DisposeAsync();
        Assert.Empty((await bed.StateAsync(GateTestBed.Gate2)).Holders);
    }

    [Fact]
    public async Task G11_KeptPlace_TheRequestsNextCallGoesBeforeALaterRequest()
    {
        var bed = new GateTestBed();
        var client = bed.Client();
        await using var ask = new GateRequest(bed.Time.GetUtcNow()) { KeepPlaceAfterCall = true };
        var evidence = (await client.AcquireAsync(Pool[..1], GatePriority.Foreground, Long, ask, CancellationToken.None)).Lease!;

        // Origins are kept to the millisecond, and asks of the same millisecond go by sequence (G11's ties).
        await Task.Delay(5);
        var later = bed.Client().AcquireAsync(GateTestBed.Gate, GatePriority.Foreground, Long, CancellationToken.None);
        await GateTestBed.EventuallyAsync(async () => (await bed.StateAsync()).Waiters.Length == 1, "a later ask waiting");

        await evidence.DisposeAsync();
        ask.KeepPlaceAfterCall = false;
        var synthesis = await client.AcquireAsync(Pool[..1], GatePriority.Foreground, Long, ask, CancellationToken.None);

        Assert.True(synthesis.IsGranted);
        Assert.False(later.IsCompleted, "the later ask waits for this ask's synthesis");
        await synthesis.Lease!.DisposeAsync();
        await using var laterLease = (await later.WaitAsync(TimeSpan.FromSeconds(5))).Lease!;
        Assert.Equal(GatePriority.Foreground, laterLease.Priority);
    }

    [Fact]
    public async Task G11_PlaceKeptForACallThatNeverCame_IsGivenBackWhenTheRequestEnds()
    {
        var bed = new GateTestBed();
        var ask = new GateRequest(bed.Time.GetUtcNow()) { KeepPlaceAfterCall = true };
        await (await bed.Client().AcquireAsync(Pool[..1], GatePriority.Foreground, Long, ask, CancellationToken.None)).Lease!.DisposeAsync();
        Assert.Single((await bed.StateAsync()).Holders);

        await ask.DisposeAsync();

        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Fact]
    public async Task G13_PoolMemberKnownDown_IsNotQueuedFor()
    {
        var bed = new GateTestBed();
        var health = new DownEndpoints(GateTestBed.Gate);
        await using var busy = (await bed.Client().AcquireAsync(GateTestBed.Gate2, GatePriority.Background, Long, CancellationToken.None)).Lease!;

        var result = await bed.Calls(health: health).RunAsync(Pool, GatePriority.Foreground, TimeSpan.FromMilliseconds(200), Long, null, (endpoint, _) => Task.FromResult(endpoint), CancellationToken.None);

        Assert.Equal(GateCallOutcome.WaitBudgetExceeded, result.Outcome);
        Assert.True(bed.Store.IsUntouched(GateTestBed.Gate));
    }

    [Fact]
    public async Task G12_HostFailsTheCall_TheCallMovesToTheOtherMemberAndBothGatesAreFree()
    {
        var bed = new GateTestBed();
        var asked = new List<string>();

        var result = await bed.Calls(health: new DownEndpoints()).RunAsync(Pool, GatePriority.Foreground, Long, Long, null, (endpoint, _) =>
        {
            asked.Add(endpoint);
            return endpoint == GateTestBed.Gate ? Task.FromException<string>(new HttpRequestException("Connection refused")) : Task.FromResult(endpoint);
        }, CancellationToken.None);

        Assert.Equal((GateCallOutcome.Completed, GateTestBed.Gate2), (result.Outcome, result.Endpoint));
        Assert.Equal(Pool, asked);
        Assert.Empty((await bed.StateAsync(GateTestBed.Gate)).Holders);
        Assert.Empty((await bed.StateAsync(GateTestBed.Gate2)).Holders);
    }

    [Fact]
    public async Task G10_Overflow_AnswersOnlyWhenThePoolCannotWithinTheBudget()
    {
        var bed = new GateTestBed();
        var client = bed.Client();
        var models = new ModelPool([new NamedModel(GateTestBed.Gate)], new NamedModel(GateTestBed.Ungated));
        var prompt = new LanguageModelRequest("q", 10);

        var free = await bed.Calls(client).CompleteAsync(models, GatePriority.Foreground, TimeSpan.FromMilliseconds(200), Long, prompt, null, CancellationToken.None);
        await using var busy = (await client.AcquireAsync(GateTestBed.Gate, GatePriority.Background, Long, CancellationToken.None)).Lease!;
        var overflowed = await bed.Calls(client).CompleteAsync(models, GatePriority.Foreground, TimeSpan.FromMilliseconds(200), Long, prompt, null, CancellationToken.None);

        Assert.Equal((ModelCallFailure.None, GateTestBed.Gate, GateTestBed.Gate), (free.Failure, free.Endpoint, free.Value));
        Assert.Equal((ModelCallFailure.None, GateTestBed.Ungated, GateTestBed.Ungated), (overflowed.Failure, overflowed.Endpoint, overflowed.Value));
        Assert.True(overflowed.Waited >= TimeSpan.FromMilliseconds(200), "the overflow is used only once the wait budget ran out");
    }

    /// <summary>A model that answers with its endpoint's name, so a test sees which one was asked.</summary>
    private sealed class NamedModel(string endpoint) : ILanguageModel
    {
        public string Endpoint => endpoint;

        public string Model => "test-model";

        public Task<string> CompleteAsync(LanguageModelRequest request, CancellationToken cancellationToken) => Task.FromResult(endpoint);
    }

    private sealed class DownEndpoints(params string[] down) : IEndpointHealth
    {
        public bool IsDown(string endpoint) => down.Contains(endpoint);

        public bool IsHostFailure(Exception exception) => exception is HttpRequestException;
    }
}

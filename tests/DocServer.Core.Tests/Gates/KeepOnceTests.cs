using DocServer.Core.Gates;
using DocServer.Core.Llm;

namespace DocServer.Core.Tests.Gates;

/// <summary>
/// A call whose result is kept once (an activity delivered twice, a digest beside an extraction): inside the lease
/// the result is looked for before the call and kept before the lease goes, so runs at once make one call.
/// </summary>
public sealed class KeepOnceTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly LanguageModelRequest Prompt = new("summarise", 10);

    [Fact]
    public async Task CompleteOnceAsync_KeptByAnotherRunBeforeTheGrant_IsAlreadyKept_AndNothingIsCalled()
    {
        var bed = new GateTestBed();
        var calls = 0;

        var call = await bed.Calls().CompleteOnceAsync(
            ScriptedModel.Pool(_ => Task.FromResult($"{++calls}")), GatePriority.Background, Long, Long, Prompt, null, new KeepOnce(_ => Task.FromResult(true), (_, _) => Task.CompletedTask), CancellationToken.None);

        Assert.Equal((ModelCallFailure.AlreadyKept, 0), (call.Failure, calls));
        Assert.Empty((await bed.StateAsync()).Holders);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(5, 2)]
    [InlineData(12, 3)]
    public async Task CompleteOnceAsync_RunsAtOnce_OneModelCall_KeptWhileItsLeaseIsHeld(int runs, int seed)
    {
        var bed = new GateTestBed();
        var random = new Random(seed);
        var calls = 0;
        string? kept = null;
        var keptOutsideALease = 0;
        var once = new KeepOnce(
            async token =>
            {
                await Task.Delay(random.Next(0, 5), token);
                return Volatile.Read(ref kept) is not null;
            },
            async (reply, token) =>
            {
                // The store write takes a moment; the next run must not be granted before it is done.
                await Task.Delay(random.Next(1, 10), token);
                if ((await bed.StateAsync()).Holders.Length == 0)
                {
                    Interlocked.Increment(ref keptOutsideALease);
                }

                Volatile.Write(ref kept, reply);
            });
        var model = ScriptedModel.Pool(async token =>
        {
            await Task.Delay(random.Next(1, 10), token);
            return $"summary {Interlocked.Increment(ref calls)}";
        });

        var results = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ =>
            Task.Run(() => bed.Calls().CompleteOnceAsync(model, GatePriority.Background, Long, Long, Prompt, null, once, CancellationToken.None))));

        Assert.Equal((1, "summary 1", 0), (calls, kept, keptOutsideALease));
        Assert.Single(results, r => r.Failure == ModelCallFailure.None);
        Assert.Equal(runs - 1, results.Count(r => r.Failure == ModelCallFailure.AlreadyKept));
    }

    [Fact]
    public async Task CompleteOnceAsync_KeepingFails_IsFailed_WithTheReason_AndTheLeaseIsGivenBack()
    {
        var bed = new GateTestBed();

        var call = await bed.Calls().CompleteOnceAsync(
            ScriptedModel.Pool(_ => Task.FromResult("not json")), GatePriority.Background, Long, Long, Prompt, null,
            new KeepOnce(_ => Task.FromResult(false), (_, _) => throw new InvalidOperationException("the reply was not the JSON asked for")), CancellationToken.None);

        Assert.Equal((ModelCallFailure.Failed, "InvalidOperationException: the reply was not the JSON asked for"), (call.Failure, call.Detail));
        Assert.Empty((await bed.StateAsync()).Holders);
    }
}

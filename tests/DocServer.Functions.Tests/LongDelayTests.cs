using DocServer.Functions.Hosting;
using DocServer.Testing;

namespace DocServer.Functions.Tests;

public sealed class LongDelayTests
{
    [Fact]
    public async Task UntilAsync_AMomentMonthsAway_WaitsInStepsAndEndsExactlyThen()
    {
        var time = new ManualTimeProvider();
        var due = time.GetUtcNow().AddDays(200); // past Task.Delay's ~49.7-day limit

        var waiting = LongDelay.UntilAsync(due, time, CancellationToken.None);
        for (var day = 0; day < 199; day++)
        {
            // The clock moves only once the wait has set its next step: moved between its reading the clock and its
            // setting the timer, the step would start a day late (a test's jump, not a clock's drift).
            await ArmedAsync(time);
            time.Advance(TimeSpan.FromDays(1));
            Assert.False(waiting.IsCompleted, $"ended after {day + 1} days");
        }

        await ArmedAsync(time);

        time.Advance(TimeSpan.FromDays(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(due, time.GetUtcNow());
    }

    private static async Task ArmedAsync(ManualTimeProvider time)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (time.ArmedTimers == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the wait never set its next step");
            await Task.Delay(1);
        }
    }

    [Fact]
    public async Task UntilAsync_AMomentPassed_ReturnsAtOnce()
    {
        var time = new ManualTimeProvider();

        await LongDelay.UntilAsync(time.GetUtcNow().AddSeconds(-1), time, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}

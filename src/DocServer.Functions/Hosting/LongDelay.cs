namespace DocServer.Functions.Hosting;

/// <summary>
/// Waits until a moment that may be months away. Task.Delay refuses a delay of more than ~49.7 days
/// (uint.MaxValue - 1 milliseconds), so a yearly cron would throw, and a caller that logs and loops would
/// spin; this waits in steps of at most a day, re-reading the clock after each.
/// </summary>
internal static class LongDelay
{
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(1);

    public static async Task UntilAsync(DateTimeOffset due, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        for (var left = due - time.GetUtcNow(); left > TimeSpan.Zero; left = due - time.GetUtcNow())
        {
            await Task.Delay(left < MaxStep ? left : MaxStep, time, cancellationToken).ConfigureAwait(false);
        }
    }
}

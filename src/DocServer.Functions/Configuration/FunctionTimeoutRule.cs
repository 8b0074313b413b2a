namespace DocServer.Functions.Configuration;

/// <summary>
/// The one rule between host.json's functionTimeout and the app's budgets: a background invocation may wait
/// BackgroundWaitBudget for the gate and then SummaryTimeout for its call, and must still have a margin to
/// record the outcome and give its ticket back before the host kills it. So
/// functionTimeout ≥ BackgroundWaitBudget + SummaryTimeout + <see cref="Margin"/>.
/// Functions that do many such steps (Digest) stop starting new ones when a step could overrun it.
/// </summary>
internal static class FunctionTimeoutRule
{
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>The longest one gated background model call can take: the wait for the gate, then the call.</summary>
    public static TimeSpan LongestBackgroundStep(DocServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.BackgroundWaitBudget + options.SummaryTimeout;
    }

    public static TimeSpan Minimum(DocServerOptions options) => LongestBackgroundStep(options) + Margin;

    /// <summary>True when an invocation that has run <paramref name="elapsed"/> can still start one more step.</summary>
    public static bool CanStartStep(DocServerOptions options, TimeSpan functionTimeout, TimeSpan elapsed) =>
        elapsed + Minimum(options) <= functionTimeout;
}

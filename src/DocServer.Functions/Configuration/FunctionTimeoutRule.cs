namespace DocServer.Functions.Configuration;

/// <summary>
/// The one rule between host.json's functionTimeout and the app's budgets: a background invocation may wait
/// BackgroundWaitBudget for the gate and then SummaryTimeout for its call, and must still have a margin to
/// record the outcome and give its ticket back before the host kills it. So
/// functionTimeout ≥ BackgroundWaitBudget + SummaryTimeout + <see cref="Margin"/>. Work of many such calls (a
/// digest) is an orchestration of one activity per call, so no invocation holds more than one.
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
}

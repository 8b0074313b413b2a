using DocServer.Functions.Hosting;
using Microsoft.DurableTask;

namespace DocServer.Functions.Digests;

/// <summary>The digest run's first step: its window, claimed once (a re-run gets the same one), and what in it has no summary.</summary>
internal sealed class PlanDigestActivity(DigestService digests) : TaskActivity<DigestRun, DigestPlan>
{
    public const string Name = FunctionNames.PlanDigest;

    public override Task<DigestPlan> RunAsync(TaskActivityContext context, DigestRun input) => RunAsync(input, CancellationToken.None);

    public Task<DigestPlan> RunAsync(DigestRun input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FunctionInvoker.TracedAsync(Name, input.TraceParent, () => digests.PlanAsync(input, cancellationToken), cancellationToken);
    }
}

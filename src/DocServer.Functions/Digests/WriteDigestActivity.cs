using DocServer.Functions.Hosting;
using Microsoft.DurableTask;

namespace DocServer.Functions.Digests;

/// <summary>The digest run's last step: the digest of its window, from the summaries the documents now hold.</summary>
internal sealed class WriteDigestActivity(DigestService digests) : TaskActivity<DigestPlan, DigestResult>
{
    public const string Name = FunctionNames.WriteDigest;

    public override Task<DigestResult> RunAsync(TaskActivityContext context, DigestPlan input) => RunAsync(input, CancellationToken.None);

    public Task<DigestResult> RunAsync(DigestPlan input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FunctionInvoker.TracedAsync(Name, input.TraceParent, () => digests.WriteAsync(input, cancellationToken), cancellationToken);
    }
}

using DocServer.Core.Gates;
using DocServer.Functions.Ask;
using DocServer.Functions.Digests;
using DocServer.Functions.Extraction;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The one code path of each timer and queue function, whoever triggers it: the Functions host
/// (POST /{Name}) or, standalone, the in-process scheduler and queue listener.
/// </summary>
internal sealed class FunctionInvoker(GateClient gates, DigestService digests, DocumentExtraction extraction, AskJobs asks)
{
    public async Task<object?> InvokeAsync(string function, string? input, CancellationToken cancellationToken) => function switch
    {
        "GateSweep" => await SweepAsync(cancellationToken).ConfigureAwait(false),
        "Digest" => await digests.RunAsync(cancellationToken).ConfigureAwait(false),
        "Extract" => await extraction.RunAsync(input ?? throw new ArgumentException("Extract needs the document id as its message."), cancellationToken).ConfigureAwait(false),
        "AskJob" => await asks.RunQueuedAsync(input ?? throw new ArgumentException("AskJob needs the accepted ask as its message."), cancellationToken).ConfigureAwait(false),
        _ => throw new KeyNotFoundException($"No function '{function}'."),
    };

    public static bool Exists(string function) => function is "GateSweep" or "Digest" || IsQueueTriggered(function);

    public static bool IsQueueTriggered(string function) => function is "Extract" or "AskJob";

    /// <summary>The sweep timer: dead leases and waiters on every gate, then expired asynchronous ask results.</summary>
    private async Task<IReadOnlyDictionary<string, SweepResult>> SweepAsync(CancellationToken cancellationToken)
    {
        var swept = await gates.SweepAllAsync(cancellationToken).ConfigureAwait(false);
        await asks.DeleteExpiredAsync(cancellationToken).ConfigureAwait(false);
        return swept;
    }
}

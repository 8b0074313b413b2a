using DocServer.Core.Gates;
using DocServer.Functions.Digests;
using DocServer.Functions.Extraction;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The one code path of each timer and queue function, whoever triggers it: the Functions host
/// (POST /{Name}) or, standalone, the in-process scheduler and queue listener.
/// </summary>
internal sealed class FunctionInvoker(GateClient gates, DigestService digests, DocumentExtraction extraction)
{
    public async Task<object?> InvokeAsync(string function, string? input, CancellationToken cancellationToken) => function switch
    {
        "GateSweep" => await gates.SweepAllAsync(cancellationToken).ConfigureAwait(false),
        "Digest" => await digests.RunAsync(cancellationToken).ConfigureAwait(false),
        "Extract" => await extraction.RunAsync(input ?? throw new ArgumentException("Extract needs the document id as its message."), cancellationToken).ConfigureAwait(false),
        _ => throw new KeyNotFoundException($"No function '{function}'."),
    };

    public static bool Exists(string function) => function is "GateSweep" or "Digest" or "Extract";
}

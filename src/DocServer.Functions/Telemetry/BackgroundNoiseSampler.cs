using System.Diagnostics;
using OpenTelemetry.Trace;

namespace DocServer.Functions.Telemetry;

/// <summary>
/// Decides for spans that start a trace (ParentBasedSampler follows the parent's decision for the rest): a
/// request, a queued run or a function run is kept; an outgoing call made by nothing we trace is dropped. Those
/// are the background loops' storage polls (the queue listener, the index following the change log, lease
/// renewals) and the health probe: thousands of one-span traces a day that say nothing about an ask.
/// </summary>
internal sealed class BackgroundNoiseSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) => samplingParameters.Kind switch
    {
        ActivityKind.Server or ActivityKind.Consumer => Keep,
        // The Azure SDK names its operation spans "{Client}.{Method}" (TableClient.Query): a storage call.
        ActivityKind.Internal when !samplingParameters.Name.Contains("Client.", StringComparison.Ordinal) => Keep,
        _ => Drop,
    };
}

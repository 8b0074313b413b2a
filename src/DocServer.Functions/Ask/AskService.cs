using DocServer.Core.Answers;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>The ask pipeline: retrieve, extract evidence (FOREGROUND), synthesise (FOREGROUND).</summary>
internal sealed class AskService(DocumentIndex index, EvidenceExtractor extractor, AnswerSynthesizer synthesizer, IOptions<DocServerOptions> options, TimeProvider time)
{
    /// <summary>Answers <paramref name="question"/>; <paramref name="arrivedAt"/> is when the ask arrived (now unless it was queued).</summary>
    public async Task<AskResponse> AskAsync(string question, DateTimeOffset? arrivedAt, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();

        // G11: both calls are served by the ask's arrival, and the evidence call's lease keeps the ask's place
        // for its synthesis. PerCall (a benchmark's baseline) lets every call queue on its own.
        await using var request = options.Value.AskOrder == AskOrder.PerAsk ? new GateRequest(arrivedAt ?? time.GetUtcNow()) : null;
        var results = await index.SearchAsync(question, options.Value.RetrievalTopK, cancellationToken).ConfigureAwait(false);
        var retrieved = time.GetTimestamp();
        request?.KeepPlaceAfterCall = true;
        var evidence = await extractor.ExtractAsync(question, results, request, cancellationToken).ConfigureAwait(false);
        var extracted = time.GetTimestamp();
        request?.KeepPlaceAfterCall = false;
        var answer = await synthesizer.SynthesizeAsync(question, evidence.Items, request, cancellationToken).ConfigureAwait(false);
        var done = time.GetTimestamp();
        return new AskResponse(
            question,
            answer.Text,
            answer.Found,
            answer.Extractive,
            answer.Citations,
            evidence.Items,
            new AskSkipReasons(evidence.SkipReason, answer.Reason),
            new AskEndpoints(evidence.Stats.Endpoint, answer.Endpoint),
            new AskTimings(
                Ms(started, retrieved),
                Ms(retrieved, extracted),
                evidence.Stats.GateWaitMs,
                evidence.Stats.LlmMs,
                Ms(extracted, done),
                answer.GateWaitMs,
                answer.LlmMs,
                Ms(started, done)));
    }

    private double Ms(long from, long to) => time.GetElapsedTime(from, to).TotalMilliseconds;
}

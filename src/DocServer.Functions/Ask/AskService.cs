using DocServer.Core.Answers;
using DocServer.Core.Evidence;
using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using DocServer.Storage.Documents;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>The ask pipeline: retrieve, extract evidence (FOREGROUND), synthesise (FOREGROUND).</summary>
internal sealed class AskService(DocumentIndex index, EvidenceExtractor extractor, AnswerSynthesizer synthesizer, IOptions<DocServerOptions> options, TimeProvider time)
{
    public async Task<AskResponse> AskAsync(string question, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var results = await index.SearchAsync(question, options.Value.RetrievalTopK, cancellationToken).ConfigureAwait(false);
        var retrieved = time.GetTimestamp();
        var evidence = await extractor.ExtractAsync(question, results, cancellationToken).ConfigureAwait(false);
        var extracted = time.GetTimestamp();
        var answer = await synthesizer.SynthesizeAsync(question, evidence.Items, cancellationToken).ConfigureAwait(false);
        var done = time.GetTimestamp();
        return new AskResponse(
            question,
            answer.Text,
            answer.Found,
            answer.Extractive,
            answer.Citations,
            evidence.Items,
            new AskSkipReasons(evidence.SkipReason, answer.Reason),
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

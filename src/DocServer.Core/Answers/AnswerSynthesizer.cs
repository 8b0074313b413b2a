using System.Text;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
using DocServer.Core.Prompts;
using Microsoft.Extensions.Logging;

namespace DocServer.Core.Answers;

/// <summary>
/// Writes the answer from the evidence: one model call through the gate (FOREGROUND) with the spans
/// numbered as the evidence is (the full windows never go to the model, E15); citations cleaned; and
/// when the model cannot be used, an extractive answer quoting the spans, flagged as such. With no
/// evidence it says the documents do not contain the answer, and never asks the model to guess.
/// </summary>
public sealed class AnswerSynthesizer(
    GatedModelCalls calls, ModelPool models, PromptTemplate? prompt, SynthesisOptions options, ILogger<AnswerSynthesizer> logger)
{
    public const string QueryPlaceholder = "query";
    public const string EvidencePlaceholder = "evidence";

    /// <summary>
    /// The answer to <paramref name="query"/> from <paramref name="evidence"/>; <paramref name="request"/> as for
    /// evidence (G11). <paramref name="onText"/> gets the answer's pieces as the model writes them (a streamed ask).
    /// </summary>
    public async Task<Answer> SynthesizeAsync(string query, IReadOnlyList<EvidenceItem> evidence, GateRequest? request, Action<string>? onText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Count == 0)
        {
            return new Answer(NotFound(query), [], Found: false, Extractive: false, "no_evidence", 0, 0);
        }

        if (prompt is null)
        {
            return ExtractiveAnswer(query, evidence, "synthesis_prompt_missing", 0, 0);
        }

        var rendered = prompt.Render(new Dictionary<string, string>
        {
            [QueryPlaceholder] = query,
            [EvidencePlaceholder] = string.Join('\n', evidence.Select(e => $"[{e.N}] {e.Span}")),
        });
        var call = await calls.CompleteAsync(models, GatePriority.Foreground, options.GateWaitBudget, options.Deadlines.Total,
            options.Deadlines.On(new LanguageModelRequest(rendered, options.MaxAnswerTokens) { OnText = onText, Kind = ModelCallKind.Synthesis }),
            request, cancellationToken).ConfigureAwait(false);
        var waitMs = call.Waited.TotalMilliseconds;
        var llmMs = call.CallElapsed.TotalMilliseconds;
        var reply = ModelReply.WithoutReasoning(call.Value ?? string.Empty).Trim();
        if (FallbackReason(call.Failure, reply) is { } reason)
        {
            SynthesisLog.Failed(logger, reason, call.Detail, llmMs);
            return ExtractiveAnswer(query, evidence, reason, waitMs, llmMs) with { Endpoint = call.Endpoint };
        }

        var (text, cited) = Citations.Clean(reply, evidence.Count);
        var logged = Text.QueryForLog.Of(query);
        SynthesisLog.Answered(logger, logged, evidence.Count, cited.Count, waitMs, llmMs);
        return new Answer(text, cited, Found: true, Extractive: false, null, waitMs, llmMs) { Endpoint = call.Endpoint };
    }

    /// <summary>Why a call's reply cannot be the answer (the answer is then the evidence itself), or null when it can.</summary>
    private static string? FallbackReason(ModelCallFailure failure, string reply) => failure switch
    {
        ModelCallFailure.None when reply.Length == 0 => "synthesis_empty",
        ModelCallFailure.None => null,
        ModelCallFailure.TimedOut => "synthesis_timeout",
        ModelCallFailure.HostDown => "synthesis_llm_unavailable",
        ModelCallFailure.GateBusy => "synthesis_gate_wait_budget",
        ModelCallFailure.GateUnavailable => "synthesis_gate_unavailable",
        _ => "synthesis_error",
    };

    /// <summary>The evidence itself, quoted with its citations: an honest answer when no model is available.</summary>
    public Answer ExtractiveAnswer(string query, IReadOnlyList<EvidenceItem> evidence, string reason, double waitMs, double llmMs)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var korean = IsKorean(query);
        var text = new StringBuilder(korean
            ? "언어 모델을 사용할 수 없어 문서에서 찾은 근거를 그대로 보여 드립니다:\n"
            : "The language model is not available, so here is what your documents say:\n");
        var quoted = evidence.Take(options.ExtractiveItems).ToList();
        foreach (var item in quoted)
        {
            text.Append("- ").Append(item.Span.ReplaceLineEndings(" ")).Append(" [").Append(item.N).Append("]\n");
        }

        return new Answer(text.ToString().TrimEnd(), [.. quoted.Select(e => e.N)], Found: true, Extractive: true, reason, waitMs, llmMs);
    }

    private static string NotFound(string query) => IsKorean(query)
        ? "문서에서 이 질문에 대한 내용을 찾지 못했습니다."
        : "I could not find this in your documents.";

    private static bool IsKorean(string text) => text.Any(Text.Hangul.IsSyllable);
}

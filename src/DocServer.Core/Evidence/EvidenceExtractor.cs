using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
using DocServer.Core.Prompts;
using DocServer.Core.Text;
using Microsoft.Extensions.Logging;

namespace DocServer.Core.Evidence;

/// <summary>
/// Evidence extraction (the seed's EV-A): rule filter, exactly one batched model call through the
/// endpoint's gate, then validation, grounding, normalisation, supplement and ordering; every failure
/// falls back to query-centred rule spans with a reason, never to an error for the user.
/// </summary>
public sealed class EvidenceExtractor(
    GatedModelCalls calls, ModelPool models, PromptTemplate? prompt, EvidenceOptions options, ILogger<EvidenceExtractor> logger)
{
    public const string QueryPlaceholder = "query";
    public const string CandidatesPlaceholder = "numbered_candidates";


    private readonly EvidenceRules _rules = new(options);

    /// <summary>
    /// The evidence for <paramref name="query"/> in <paramref name="results"/>. <paramref name="request"/> is the
    /// user request this call is part of (G11: served in the order of its arrival), if any.
    /// </summary>
    public async Task<EvidenceResult> ExtractAsync(string query, IReadOnlyList<SearchResult> results, GateRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(results);
        var loggedQuery = Text.QueryForLog.Of(query);
        if (results.Count == 0)
        {
            return Skip(EvidenceSkipReasons.EmptyRetrieval, loggedQuery, 0);
        }

        var tokens = QueryTokens.Of(query);
        var candidates = _rules.SelectCandidates(results, tokens);
        if (candidates.Count == 0)
        {
            return Skip(EvidenceSkipReasons.AllLowRerank, loggedQuery, results.Count);
        }

        var attempt = new Attempt(loggedQuery, candidates, results, tokens, candidates.Count(c => !c.Anchored));
        if (options.FastPathThreshold is { } threshold && (results[0].RerankScore ?? 0) >= threshold)
        {
            // E3 judges the reranker's raw score: display scores are rescaled and drift.
            return Fallback(EvidenceSkipReasons.FastPath, attempt, 0, 0, $"top_rerank={results[0].RerankScore:F2}");
        }

        if (prompt is null)
        {
            return Fallback(EvidenceSkipReasons.LlmError, attempt, 0, 0, "evidence prompt not loaded");
        }

        var rendered = prompt.Render(new Dictionary<string, string>
        {
            [QueryPlaceholder] = query,
            [CandidatesPlaceholder] = EvidenceRules.NumberedCandidates(candidates),
        });

        // E6: one batched call, through the gate (G1), its timeout counted from the grant (G2). E7: any failure of
        // the call is a fallback for the user (and a warning for us); never a model call without its gate.
        var call = await calls.CompleteAsync(models, GatePriority.Foreground, options.GateWaitBudget, options.Deadlines.Total,
            options.Deadlines.On(new LanguageModelRequest(rendered, options.MaxReplyTokens) { Kind = ModelCallKind.Evidence }),
            request, cancellationToken).ConfigureAwait(false);
        return Called(call, FromCall(call, attempt));
    }

    /// <summary>E7, E8, E9-E14, E17, E18: what the call came to, as evidence.</summary>
    private EvidenceResult FromCall(GatedModelCall call, Attempt attempt)
    {
        var waitMs = call.Waited.TotalMilliseconds;
        var llmMs = call.CallElapsed.TotalMilliseconds;
        var fallback = call.Failure switch
        {
            ModelCallFailure.None => null,
            ModelCallFailure.GateBusy => EvidenceSkipReasons.GateWaitBudget,
            ModelCallFailure.HostDown => EvidenceSkipReasons.LlmUnavailable,
            ModelCallFailure.TimedOut => EvidenceSkipReasons.LlmTimeout,
            ModelCallFailure.GateUnavailable => EvidenceSkipReasons.GateUnavailable,
            _ => EvidenceSkipReasons.LlmError,
        };
        if (fallback is not null)
        {
            return Fallback(fallback, attempt, waitMs, llmMs, call.Detail);
        }

        if (EvidenceReplyParser.TryParse(call.Value) is not { } reply)
        {
            var raw = call.Value ?? string.Empty;
            return Fallback(EvidenceSkipReasons.ParseFailed, attempt, waitMs, llmMs, $"raw={(raw.Length > 200 ? raw[..200] : raw)}");
        }

        var (kept, used, exact, snapped, dropped, expanded) = _rules.AcceptModelItems(reply, attempt.Candidates, attempt.Tokens);
        if (kept.Count == 0)
        {
            return Fallback(EvidenceSkipReasons.AllLlmRejected, attempt, waitMs, llmMs, $"items={reply.Count} dropped_ungrounded={dropped}");
        }

        var supplement = _rules.Supplement(kept, attempt.Candidates, attempt.Tokens, used);
        var reason = supplement.Count > 0 ? EvidenceSkipReasons.SparseSupplemented : null;
        var items = EvidenceRules.Order(kept.Concat(supplement), attempt.Results);
        EvidenceLog.Accepted(logger, reason, attempt.LoggedQuery, attempt.Candidates.Count, items.Count, exact, snapped, dropped, supplement.Count, expanded, waitMs, llmMs);
        return new EvidenceResult(items, reason, new EvidenceStats(attempt.Candidates.Count, items.Count, expanded, exact, snapped, dropped, supplement.Count, attempt.Unanchored, waitMs, llmMs));
    }

    /// <summary>Says which endpoint the model call went to, whatever became of its reply.</summary>
    private static EvidenceResult Called(GatedModelCall call, EvidenceResult result) =>
        result with { Stats = result.Stats with { Endpoint = call.Endpoint } };

    private EvidenceResult Skip(string reason, string loggedQuery, int results)
    {
        EvidenceLog.Skipped(logger, reason, loggedQuery, results);
        return new EvidenceResult([], reason, EvidenceStats.Empty);
    }

    /// <summary>E14: rule spans from every candidate, and why the model's were not used.</summary>
    private EvidenceResult Fallback(string reason, Attempt attempt, double waitMs, double llmMs, string detail)
    {
        var items = EvidenceRules.Order(_rules.RuleOnly(attempt.Candidates, attempt.Tokens), attempt.Results);
        EvidenceLog.Fallback(logger, reason, attempt.LoggedQuery, attempt.Candidates.Count, items.Count, attempt.Unanchored, waitMs, llmMs, detail);
        return new EvidenceResult(items, reason, EvidenceStats.Empty with { Candidates = attempt.Candidates.Count, Kept = items.Count, UnanchoredWindows = attempt.Unanchored, GateWaitMs = waitMs, LlmMs = llmMs });
    }

    /// <summary>One extraction's inputs, once its candidates are chosen.</summary>
    private sealed record Attempt(string LoggedQuery, IReadOnlyList<EvidenceCandidate> Candidates, IReadOnlyList<SearchResult> Results, QueryTokens Tokens, int Unanchored);
}

namespace DocServer.Core.Evidence;

/// <summary>The extraction constants of the seed (docs/design.md, "Evidence"), overridable from configuration.</summary>
public sealed record EvidenceOptions
{
    /// <summary>E2: candidates need this rerank score (else score).</summary>
    public double MinRerankScore { get; init; } = 0.25;

    /// <summary>E2: at most this many candidates from one document.</summary>
    public int MaxPerDocument { get; init; } = 2;

    /// <summary>E2: at most this many candidates in the one batched call.</summary>
    public int MaxCandidates { get; init; } = 6;

    /// <summary>E5: the query-centred window of each candidate the model sees (6 x 1200 chars fits a 4K context).</summary>
    public int CandidateWindowChars { get; init; } = 1200;

    /// <summary>E9: items the model rates below this are discarded.</summary>
    public double MinRelevance { get; init; } = 0.5;

    /// <summary>E10: shorter spans invite the synthesiser to fill gaps in; they are widened.</summary>
    public int SpanMinChars { get; init; } = 80;

    /// <summary>E10: a too-short span is replaced by a query-centred window this long.</summary>
    public int SpanExpandChars { get; init; } = 120;

    /// <summary>E10: longer spans are cut, to protect the synthesis token budget.</summary>
    public int SpanMaxChars { get; init; } = 300;

    /// <summary>E14: rule-only spans are query-centred windows this long.</summary>
    public int RuleSpanChars { get; init; } = 200;

    /// <summary>E12: with fewer kept items than this (and enough candidates), rule spans are added.</summary>
    public int MinEvidenceForSynthesis { get; init; } = 3;

    /// <summary>E12: a supplemented span's relevance is this fraction of its score.</summary>
    public double SupplementRelevanceFactor { get; init; } = 0.8;

    /// <summary>E3: when set and the top raw rerank score reaches it, skip the model. Off by default.</summary>
    public double? FastPathThreshold { get; init; }

    /// <summary>
    /// E6/G2: the model call's deadlines, counted from the grant of the gate lease; the first token must come within
    /// 20 s (prompt processing of ~2-3K tokens).
    /// </summary>
    public Llm.CallDeadlines Deadlines { get; init; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10));

    /// <summary>E17: how long to wait for the gate before answering rule-only.</summary>
    public TimeSpan GateWaitBudget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Longest reply the model may write (items with spans of up to 300 chars).</summary>
    public int MaxReplyTokens { get; init; } = 1500;
}

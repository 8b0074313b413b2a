namespace DocServer.Core.Evidence;

/// <summary>Why extraction did not simply return the model's evidence. Stable strings: they go to clients and logs.</summary>
public static class EvidenceSkipReasons
{
    public const string EmptyRetrieval = "empty_retrieval";
    public const string AllLowRerank = "all_low_rerank";
    public const string FastPath = "fast_path";
    public const string LlmTimeout = "llm_timeout_fallback_rule";
    public const string LlmError = "llm_error_fallback_rule";
    public const string ParseFailed = "parse_failed_fallback_rule";
    public const string AllLlmRejected = "all_llm_rejected";
    public const string SparseSupplemented = "sparse_evidence_supplemented";
    public const string GateWaitBudget = "gate_wait_budget_fallback_rule";

    /// <summary>G13: the endpoint's host is known to be down (its circuit is open): rule-only at once, no waiting.</summary>
    public const string LlmUnavailable = "llm_unavailable";

    /// <summary>The gate's store could not be reached, so the model was not called (never without its gate).</summary>
    public const string GateUnavailable = "gate_unavailable";
}

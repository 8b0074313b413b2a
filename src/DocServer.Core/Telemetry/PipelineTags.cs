namespace DocServer.Core.Telemetry;

/// <summary>
/// Attribute names: OpenTelemetry's semantic conventions where one exists (GenAI for model calls, error.type),
/// ours under <c>docserver.</c> where none does. Values are stable lower-case strings: dashboards and the
/// README's Kusto queries filter on them.
/// </summary>
public static class PipelineTags
{
    public const string ErrorType = "error.type";

    public const string GenAiOperation = "gen_ai.operation.name";
    public const string GenAiProvider = "gen_ai.provider.name";
    public const string GenAiRequestModel = "gen_ai.request.model";
    public const string GenAiMaxTokens = "gen_ai.request.max_tokens";
    public const string GenAiTemperature = "gen_ai.request.temperature";
    public const string GenAiTokenType = "gen_ai.token.type";
    public const string GenAiInputTokens = "gen_ai.usage.input_tokens";
    public const string GenAiOutputTokens = "gen_ai.usage.output_tokens";
    public const string GenAiFirstChunk = "gen_ai.response.time_to_first_chunk";

    /// <summary>The gate (an endpoint's name, G1); for a wait on a pool that no gate granted, the pool's names joined by ','.</summary>
    public const string Gate = "docserver.gate";
    public const string Priority = "docserver.gate.priority";
    public const string WaitOutcome = "docserver.gate.outcome";
    public const string QueuePosition = "docserver.gate.position";

    public const string Endpoint = "docserver.endpoint";
    public const string CallKind = "docserver.call.kind";
    public const string CallOutcome = "docserver.call.outcome";

    public const string AskOutcome = "docserver.ask.outcome";
    public const string AskReason = "docserver.ask.reason";
    public const string EvidenceOutcome = "docserver.evidence.outcome";
    public const string Queue = "docserver.queue";
    public const string Function = "docserver.function";
    public const string DocumentId = "docserver.document.id";
    public const string Chunks = "docserver.retrieval.chunks";
}

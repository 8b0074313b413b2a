using DocServer.Core.Evidence;

namespace DocServer.Functions.Ask;

/// <summary>The answer to an ask, with the evidence it cites, why anything fell back, and where the time went.</summary>
internal sealed record AskResponse(
    string Question,
    string Answer,
    bool Found,
    bool Extractive,
    IReadOnlyList<int> Citations,
    IReadOnlyList<Contracts.EvidenceItemResponse> Evidence,
    AskSkipReasons SkipReasons,
    AskEndpoints Endpoints,
    AskTimings Timings);

internal sealed record AskSkipReasons(string? Evidence, string? Synthesis);

/// <summary>G12: which endpoint answered each call (a pool member, or the cloud overflow); null where no model was called.</summary>
internal sealed record AskEndpoints(string? Evidence, string? Synthesis);

/// <summary>Milliseconds: retrieval; evidence and synthesis, each with its gate wait and its model call; the whole ask.</summary>
internal sealed record AskTimings(
    double RetrievalMs, double EvidenceMs, double EvidenceGateWaitMs, double EvidenceLlmMs, double SynthesisMs, double SynthesisGateWaitMs, double SynthesisLlmMs, double TotalMs);

namespace DocServer.Functions.Hosting;

/// <summary>The name of every function: the [Function] attribute's, the standalone endpoint's, and the trace's.</summary>
internal static class FunctionNames
{
    public const string Ask = "Ask";
    public const string AskStream = "AskStream";
    public const string GetAsk = "GetAsk";
    public const string Evidence = "Evidence";
    public const string IngestDocument = "IngestDocument";
    public const string ListDocuments = "ListDocuments";
    public const string GetDocument = "GetDocument";
    public const string DeleteDocument = "DeleteDocument";
    public const string GateStatus = "GateStatus";
    public const string ListDigests = "ListDigests";
    public const string LatestDigest = "LatestDigest";
    public const string GetDigest = "GetDigest";
    public const string Health = "Health";
    public const string OpenApi = "OpenApi";
    public const string Page = "Page";

    public const string DigestTimer = "DigestTimer";
    public const string GateSweep = "GateSweep";
    public const string ExtractionCatchUp = "ExtractionCatchUp";
    public const string Gate = "Gate";
    public const string GateGrantNotifier = Durable.Gates.GateGrantNotifier.Name;
    public const string ExtractDocument = "ExtractDocument";
    public const string Summarise = "Summarise";
    public const string AskQuestion = "AskQuestion";
    public const string AnswerQuestion = "AnswerQuestion";
    public const string Digest = "Digest";
    public const string PlanDigest = "PlanDigest";
    public const string WriteDigest = "WriteDigest";
}

using System.Text.Json;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Core.Prompts;
using DocServer.Llm.Mlx;
using DocServer.Llm.Prompts;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Llm.Tests;

/// <summary>
/// The real chain for one test: extractor → gate (in-memory store) → MLX client → scripted
/// single-inference server over HTTP on 127.0.0.1, with the repository's own evidence prompt.
/// </summary>
internal sealed class ExtractionBed : IAsyncDisposable
{
    public const string Endpoint = "macmini";

    private ExtractionBed(ScriptedMlxServer server, Uri url, EvidenceOptions options, bool withPrompt)
    {
        Server = server;
        var catalog = new GateCatalog(new Dictionary<string, GatePolicy> { [Endpoint] = GatePolicy.Default });
        Store = new InMemoryGateStore(catalog, TimeProvider.System);
        Gates = new GateClient(Store, catalog, TimeProvider.System, NullLogger<GateClient>.Instance);
        Model = new MlxLanguageModel(new MlxEndpoint(Endpoint, url, "gemma-test"));
        Options = options;
        Extractor = new EvidenceExtractor(new GatedModelCalls(Gates, TimeProvider.System), new ModelPool(Model), withPrompt ? LoadPrompt() : null, options, Log);
    }

    public ScriptedMlxServer Server { get; }

    public InMemoryGateStore Store { get; }

    public GateClient Gates { get; }

    public MlxLanguageModel Model { get; }

    public EvidenceOptions Options { get; }

    public RecordingLogger<EvidenceExtractor> Log { get; } = new();

    public EvidenceExtractor Extractor { get; }

    public static async Task<ExtractionBed> StartAsync(EvidenceOptions? options = null, bool withPrompt = true, Uri? url = null)
    {
        var server = await ScriptedMlxServer.StartAsync();
        return new ExtractionBed(server, url ?? server.BaseUrl, options ?? new EvidenceOptions(), withPrompt);
    }

    public static PromptTemplate LoadPrompt() =>
        new PromptFiles(Path.Combine(AzuriteServer.RepositoryRoot(), "prompts"))
            .Load("evidence_extract.txt", EvidenceExtractor.QueryPlaceholder, EvidenceExtractor.CandidatesPlaceholder);

    /// <summary>The JSON a well-behaved model answers with.</summary>
    public static string Reply(params (int N, string Span, double Relevance)[] items) =>
        JsonSerializer.Serialize(new { items = items.Select(i => new { n = i.N, span = i.Span, relevance = i.Relevance }) });

    public Task<EvidenceResult> KoreanAsync() => Extractor.ExtractAsync(EvidenceFixtures.KoreanQuestion, EvidenceFixtures.KoreanResults(), null, CancellationToken.None);

    public Task<EvidenceResult> EnglishAsync() => Extractor.ExtractAsync(EvidenceFixtures.EnglishQuestion, EvidenceFixtures.EnglishResults(), null, CancellationToken.None);

    public Task<GateState> GateStateAsync() => Store.ReadAsync(Endpoint, CancellationToken.None);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

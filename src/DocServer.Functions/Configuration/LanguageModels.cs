using DocServer.Core.Llm;
using DocServer.Llm.Health;
using DocServer.Llm.Mlx;

namespace DocServer.Functions.Configuration;

/// <summary>
/// One model client per configured endpoint, by endpoint name (which is also its gate's name, G1), each
/// behind its endpoint's circuit breaker (G13).
/// </summary>
internal sealed class LanguageModels(DocServerOptions options, EndpointHealth health)
{
    private readonly Dictionary<string, ILanguageModel> _models = options.Endpoints.ToDictionary(
        e => e.Key,
        e => (ILanguageModel)new GuardedLanguageModel(new MlxLanguageModel(new MlxEndpoint(e.Key, BaseUrl(e.Value), e.Value.Model, e.Value.ApiKey)), health),
        StringComparer.Ordinal);

    public ILanguageModel this[string endpoint] => _models[endpoint];

    /// <summary>G12: the models of a configured pool, with its overflow endpoint if any.</summary>
    public ModelPool Pool(IReadOnlyList<string> endpoints, string? overflow = null) =>
        new([.. endpoints.Select(e => _models[e])], overflow is null ? null : _models[overflow]);

    /// <summary>The OpenAI-compatible base URL of every endpoint (ending in '/'), for the health probe.</summary>
    public IReadOnlyDictionary<string, Uri> Urls { get; } = options.Endpoints.ToDictionary(e => e.Key, e => BaseUrl(e.Value), StringComparer.Ordinal);

    private static Uri BaseUrl(EndpointOptions endpoint) => new(endpoint.Url.EndsWith('/') ? endpoint.Url : endpoint.Url + "/");
}

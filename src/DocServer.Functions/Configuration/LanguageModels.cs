using DocServer.Core.Llm;
using DocServer.Llm.Mlx;

namespace DocServer.Functions.Configuration;

/// <summary>One model client per configured endpoint, by endpoint name (which is also its gate's name, G1).</summary>
internal sealed class LanguageModels(DocServerOptions options)
{
    private readonly Dictionary<string, ILanguageModel> _models = options.Endpoints.ToDictionary(
        e => e.Key,
        e => (ILanguageModel)new MlxLanguageModel(new MlxEndpoint(e.Key, new Uri(e.Value.Url.EndsWith('/') ? e.Value.Url : e.Value.Url + "/"), e.Value.Model, e.Value.ApiKey)),
        StringComparer.Ordinal);

    public ILanguageModel this[string endpoint] => _models[endpoint];
}

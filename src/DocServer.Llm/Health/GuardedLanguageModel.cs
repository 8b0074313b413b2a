using DocServer.Core.Llm;

namespace DocServer.Llm.Health;

/// <summary>A model whose calls pass its endpoint's circuit breaker, so host failures are counted where they happen.</summary>
public sealed class GuardedLanguageModel(ILanguageModel inner, EndpointHealth health) : ILanguageModel
{
    public string Endpoint => inner.Endpoint;

    public string Model => inner.Model;

    public Task<string> CompleteAsync(LanguageModelRequest request, CancellationToken cancellationToken) =>
        health.ExecuteAsync(inner.Endpoint, token => inner.CompleteAsync(request, token), cancellationToken);
}

using DocServer.Core.Llm;

namespace DocServer.Core.Tests.Gates;

/// <summary>A model on the test gate's endpoint whose reply is the test's script.</summary>
internal sealed class ScriptedModel(Func<CancellationToken, Task<string>> reply) : ILanguageModel
{
    public string Endpoint => GateTestBed.Gate;

    public string Model => "test-model";

    /// <summary>A pool of one scripted model on the test gate.</summary>
    public static ModelPool Pool(Func<CancellationToken, Task<string>> reply) => new(new ScriptedModel(reply));

    public Task<string> CompleteAsync(LanguageModelRequest request, CancellationToken cancellationToken) => reply(cancellationToken);
}

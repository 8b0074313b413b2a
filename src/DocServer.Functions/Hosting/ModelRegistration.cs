using DocServer.Core.Answers;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
using DocServer.Functions.Configuration;
using DocServer.Llm.Health;

namespace DocServer.Functions.Hosting;

/// <summary>The models: prompts, each endpoint's client and health, and the two ask calls made through them.</summary>
internal static class ModelRegistration
{
    public static IServiceCollection AddDocServerModels(this IServiceCollection services)
    {
        services.AddSingleton(sp => new Prompts(sp.DocServerOptions()));
        services.AddSingleton(sp => new EndpointHealth(sp.DocServerOptions().Endpoints.Keys, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EndpointHealth>>()));
        services.AddSingleton(sp => new LanguageModels(sp.DocServerOptions(), sp.GetRequiredService<EndpointHealth>()));
        services.AddSingleton(sp =>
        {
            var options = sp.DocServerOptions();
            return new EvidenceExtractor(
                sp.GetRequiredService<GatedModelCalls>(),
                sp.GetRequiredService<LanguageModels>().Pool(options.AskPool, options.AskOverflowEndpoint),
                sp.GetRequiredService<Prompts>().Evidence,
                new EvidenceOptions { Deadlines = options.Deadlines(ModelCallKind.Evidence), GateWaitBudget = options.AskWaitBudget },
                sp.GetRequiredService<ILogger<EvidenceExtractor>>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.DocServerOptions();
            return new AnswerSynthesizer(
                sp.GetRequiredService<GatedModelCalls>(),
                sp.GetRequiredService<LanguageModels>().Pool(options.AskPool, options.AskOverflowEndpoint),
                sp.GetRequiredService<Prompts>().Synthesis,
                new SynthesisOptions { Deadlines = options.Deadlines(ModelCallKind.Synthesis), GateWaitBudget = options.AskWaitBudget },
                sp.GetRequiredService<ILogger<AnswerSynthesizer>>());
        });
        services.AddHostedService<EndpointProber>();
        return services;
    }
}

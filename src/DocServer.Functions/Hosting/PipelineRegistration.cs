using DocServer.Functions.Ask;
using DocServer.Functions.Digests;
using DocServer.Functions.Documents;
using DocServer.Functions.Extraction;

namespace DocServer.Functions.Hosting;

/// <summary>The pipeline: the index, ingestion, asks, extraction, digests, and what runs them for the functions.</summary>
internal static class PipelineRegistration
{
    public static IServiceCollection AddDocServerPipeline(this IServiceCollection services)
    {
        services.AddSingleton<DocumentIndex>();
        services.AddSingleton<IndexRefresher>();
        services.AddSingleton<IndexSnapshotWriter>();
        services.AddSingleton<DocumentIngestion>();
        services.AddSingleton<Extraction.ExtractionCatchUp>();
        services.AddSingleton<AskService>();
        services.AddSingleton<AskJobs>();
        services.AddSingleton<DocumentExtraction>();
        services.AddSingleton<DigestService>();
        services.AddSingleton<FunctionInvoker>();
        services.AddSingleton<HttpFunctionAdapter>();
        services.AddHostedService<StartupTasks>();
        services.AddHostedService<IndexLoader>();
        return services;
    }
}

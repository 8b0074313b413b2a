using DocServer.Durable;
using DocServer.Durable.Gates;
using DocServer.Durable.TaskHub;
using DocServer.Functions.Configuration;
using DocServer.Functions.Extraction;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Durable Task: the task hub on the app's storage account, and our client of it (<see cref="IDurableWork"/>:
/// schedule, signal, read). The client speaks DurableTask.AzureStorage, the library (and version) the Functions
/// host's Durable extension runs the hub with, so it is the same client under the host and standalone; standalone
/// alone adds the worker that runs the gate entity, the orchestrations and the activities.
/// </summary>
internal static class DurableRegistration
{
    private const string ClientKey = "client";

    public static IServiceCollection AddDocServerDurable(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DurableTaskHostOptions>().Bind(configuration.GetSection(DurableTaskHostOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DurableTaskHostOptions>>().Value.ToTaskHub(sp.DocServerOptions()));
        // Two services on the hub, retries chosen per path: the worker's, and the client's on a request's path (fast).
        services.AddSingleton(sp => new TaskHubService(sp.GetRequiredService<Storage.StorageAccount>(), sp.GetRequiredService<TaskHubOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddKeyedSingleton(ClientKey, (sp, _) => new TaskHubService(
            sp.GetRequiredService<Storage.StorageAccount>(), sp.GetRequiredService<TaskHubOptions>(), sp.GetRequiredService<ILoggerFactory>(), sp.DocServerOptions().InteractiveRetry()));
        services.AddSingleton<IDurableWork>(sp => new TaskHubDurableWork(sp.GetRequiredKeyedService<TaskHubService>(ClientKey)));
        services.AddSingleton(sp => new SummaryAttempts(
            sp.GetRequiredService<Core.Gates.GateCatalog>(), sp.DocServerOptions().BackgroundPool, sp.DocServerOptions().BackgroundWaitBudget, sp.DocServerOptions().ExtractionRetryDelay));
        services.AddSingleton<SummariseActivity>();
        services.AddSingleton<Ask.AnswerQuestionActivity>();
        services.AddSingleton<Digests.PlanDigestActivity>();
        services.AddSingleton<Digests.WriteDigestActivity>();
        return services;
    }

    /// <summary>
    /// Standalone: this process is a worker of the task hub, as each instance is in Azure. It runs whatever the
    /// hub hands it: the gate entities, the orchestrations and their activities. Without it nothing answers the
    /// gates, so it runs even when DocServer:Standalone is false; that setting (no background work of this
    /// process's own) leaves it the gate entities and the orchestrations, but no activity, so it never calls a model
    /// for background work.
    /// </summary>
    public static IServiceCollection AddStandaloneTaskHubWorker(this IServiceCollection services)
    {
        services.AddSingleton(Definitions);
        services.AddSingleton<TaskHubWorkerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<TaskHubWorkerHost>());
        return services;
    }

    /// <summary>
    /// Every orchestrator, activity and entity, by the name the Functions host knows it by (FunctionNames). The
    /// orchestrators are there without DocServer:Standalone too: they only schedule, and a worker handed an
    /// orchestration it does not know fails the work item and backs its orchestration dispatcher off for 10 s each
    /// time. An activity it does not know goes back to the queue for a worker that runs it.
    /// </summary>
    private static DurableDefinitions Definitions(IServiceProvider services)
    {
        var options = services.DocServerOptions();
        var definitions = new DurableDefinitions();
        definitions.Entities[GateEntity.Name] = () => ActivatorUtilities.CreateInstance<GateEntity>(services);
        var summaries = services.GetRequiredService<SummaryAttempts>();
        definitions.Orchestrators[ExtractDocumentOrchestrator.Name] = () => new ExtractDocumentOrchestrator(summaries, options.ProbeInterval);
        definitions.Orchestrators[GateGrantNotifier.Name] = () => new GateGrantNotifier();
        definitions.Orchestrators[Ask.AskQuestionOrchestrator.Name] = () => new Ask.AskQuestionOrchestrator();
        definitions.Orchestrators[Digests.DigestOrchestrator.Name] = () => new Digests.DigestOrchestrator(summaries, options.ProbeInterval, options.ExtractionRetryDelay);
        if (!DocServerHost.IsStandalone(options))
        {
            return definitions;
        }

        definitions.Activities[SummariseActivity.Name] = services.GetRequiredService<SummariseActivity>;
        definitions.Activities[Ask.AnswerQuestionActivity.Name] = services.GetRequiredService<Ask.AnswerQuestionActivity>;
        definitions.Activities[Digests.PlanDigestActivity.Name] = services.GetRequiredService<Digests.PlanDigestActivity>;
        definitions.Activities[Digests.WriteDigestActivity.Name] = services.GetRequiredService<Digests.WriteDigestActivity>;
        return definitions;
    }
}

using DocServer.Durable.Gates;
using DocServer.Functions.Ask;
using DocServer.Functions.Configuration;
using DocServer.Functions.Digests;
using DocServer.Functions.Extraction;
using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Orchestrations;

/// <summary>
/// Under the Functions host: the gate entity, the extraction, digest and asynchronous-ask orchestrators and their
/// activities, and the notifier that carries a gate's grant to a waiting orchestration, as Durable triggers, running the same classes the standalone task hub worker runs.
/// </summary>
internal sealed class DurableFunctions(
    IServiceProvider services, SummaryAttempts summaries, SummariseActivity summarise, AnswerQuestionActivity answer, PlanDigestActivity plan, WriteDigestActivity write, IOptions<DocServerOptions> options)
{
    /// <summary>The gate entity: the function's name, lower-cased, is the entity's name ("gate").</summary>
    [Function(FunctionNames.Gate)]
    public Task Gate([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync(ActivatorUtilities.CreateInstance<GateEntity>(services));
    }

    /// <summary>Carries a gate's grant to the orchestration that queued for it (an entity cannot raise an event).</summary>
    [Function(FunctionNames.GateGrantNotifier)]
    public static Task<string> GateGrantNotifier([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new GateGrantNotifier().RunAsync(context, context.GetInput<GateGrantNotice>()!);
    }

    [Function(FunctionNames.ExtractDocument)]
    public Task<ExtractionResult> ExtractDocument([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ExtractDocumentOrchestrator(summaries, options.Value.ProbeInterval).RunAsync(context, context.GetInput<ExtractionRequest>()!);
    }

    [Function(FunctionNames.Summarise)]
    public Task<ExtractionResult> Summarise([ActivityTrigger] ExtractionRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return summarise.RunAsync(request, context.CancellationToken);
    }

    [Function(FunctionNames.AskQuestion)]
    public static Task<string> AskQuestion([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AskQuestionOrchestrator().RunAsync(context, context.GetInput<AcceptedAsk>()!);
    }

    [Function(FunctionNames.AnswerQuestion)]
    public Task<string> AnswerQuestion([ActivityTrigger] AcceptedAsk ask, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return answer.RunAsync(ask, context.CancellationToken);
    }

    [Function(FunctionNames.Digest)]
    public Task<DigestResult?> Digest([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DigestOrchestrator(summaries, options.Value.ProbeInterval, options.Value.ExtractionRetryDelay).RunAsync(context, context.GetInput<DigestRun>()!);
    }

    [Function(FunctionNames.PlanDigest)]
    public Task<DigestPlan> PlanDigest([ActivityTrigger] DigestRun run, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return plan.RunAsync(run, context.CancellationToken);
    }

    [Function(FunctionNames.WriteDigest)]
    public Task<DigestResult> WriteDigest([ActivityTrigger] DigestPlan digest, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return write.RunAsync(digest, context.CancellationToken);
    }
}

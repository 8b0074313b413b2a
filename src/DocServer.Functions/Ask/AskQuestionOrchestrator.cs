using Microsoft.DurableTask;

namespace DocServer.Functions.Ask;

/// <summary>
/// An asynchronous ask (instance id = ask id): one activity runs the ask pipeline (FOREGROUND) wherever the task hub
/// hands it, so a restart or scale-in loses nothing; its output is the answer as the HTTP API writes it. Not retried:
/// the pipeline degrades by itself (an extractive answer), so a throw is a real failure, shown as "failed".
/// </summary>
internal sealed class AskQuestionOrchestrator : TaskOrchestrator<AcceptedAsk, string>
{
    public const string Name = Hosting.FunctionNames.AskQuestion;

    public override Task<string> RunAsync(TaskOrchestrationContext context, AcceptedAsk input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<string>(AnswerQuestionActivity.Name, input);
    }
}

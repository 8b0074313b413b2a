using System.Text.Json;
using DocServer.Functions.Documents;
using DocServer.Functions.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>
/// Runs an accepted asynchronous ask: the same pipeline as a synchronous one, served by its arrival (G11), once the
/// index is loaded (a just-started instance may take it first). Answers the response JSON exactly as the HTTP API
/// writes it, so GET /api/ask/{id} returns what a synchronous ask would have.
/// </summary>
internal sealed class AnswerQuestionActivity(AskService asks, DocumentIndex index, IOptions<JsonOptions> json) : TaskActivity<AcceptedAsk, string>
{
    public const string Name = FunctionNames.AnswerQuestion;

    public override Task<string> RunAsync(TaskActivityContext context, AcceptedAsk input) => RunAsync(input, CancellationToken.None);

    public Task<string> RunAsync(AcceptedAsk input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FunctionInvoker.TracedAsync(Name, input.TraceParent, async () =>
        {
            await index.WhenReadyAsync(cancellationToken).ConfigureAwait(false);
            var result = await asks.AskAsync(input.Question, input.AcceptedAt, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(result, json.Value.SerializerOptions);
        }, cancellationToken);
    }
}

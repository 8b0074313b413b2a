using System.Diagnostics;
using System.Text.Json;
using DocServer.Durable;
using DocServer.Functions.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>
/// Asynchronous asks: the caller gets 202 and a status URL at once; the ask runs as an <see cref="AskQuestionOrchestrator"/>
/// on the task hub (any instance), and its status and output are the orchestration's, readable from any instance. An
/// instance older than AsyncResultTtl is gone for callers, and the sweep timer purges it.
/// </summary>
internal sealed class AskJobs(IDurableWork durable, IOptions<DocServerOptions> options, IOptions<JsonOptions> json, TimeProvider time)
{
    public async Task<string> StartAsync(string question, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var accepted = new AcceptedAsk(id, question, time.GetUtcNow(), Activity.Current?.Id);
        await durable.ScheduleAsync(AskQuestionOrchestrator.Name, id, accepted, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Null when there is no such ask (or it expired); else its status and, when done, its result.</summary>
    public async Task<(AskStatus Status, AskResponse? Result, string? Error)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var instance = await durable.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.CreatedAt + options.Value.AsyncResultTtl < time.GetUtcNow())
        {
            return null;
        }

        return instance.Status switch
        {
            DurableStatus.Completed => (AskStatus.Done, JsonSerializer.Deserialize<AskResponse>(JsonSerializer.Deserialize<string>(instance.Output!)!, json.Value.SerializerOptions), null),
            DurableStatus.Failed or DurableStatus.Terminated => (AskStatus.Failed, null, "The ask failed on the server; see the app's logs for ask " + id + "."),
            _ => (AskStatus.Running, null, null),
        };
    }

    /// <summary>Purges what the task hub keeps of finished instances older than AsyncResultTtl (asks, extractions, digests).</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => durable.PurgeAsync(time.GetUtcNow() - options.Value.AsyncResultTtl, cancellationToken);
}

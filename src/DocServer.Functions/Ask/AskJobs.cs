using DocServer.Storage.Asks;
using System.Text.Json;
using DocServer.Functions.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using DocServer.Functions.Telemetry;

namespace DocServer.Functions.Ask;

/// <summary>
/// Asynchronous asks: the caller gets 202 and a status URL at once; the accepted ask goes on the ask queue
/// (visible to every instance, at least once), and whichever instance takes it runs it and keeps its result
/// (see <see cref="Storage.Asks.AskResultStore"/>) for AsyncResultTtl, so any instance can answer the poll and
/// a restart or scale-in loses nothing. A second delivery of an ask that already has its result does nothing.
/// The sweep timer removes expired results.
/// </summary>
internal sealed class AskJobs(AskResultStore results, [FromKeyedServices(Hosting.FunctionNames.AskJob)] Storage.Queues.QueuedWork queue, AskService asks, Documents.DocumentIndex index, IOptions<DocServerOptions> options, IOptions<JsonOptions> json, TimeProvider time, ILogger<AskJobs> logger)
{
    public async Task<string> StartAsync(string question, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        await results.StartAsync(id, time.GetUtcNow() + options.Value.AsyncResultTtl, cancellationToken).ConfigureAwait(false);
        await queue.SendAsync(TracedMessage.Wrap(JsonSerializer.Serialize(new QueuedAsk(id, question, time.GetUtcNow()), json.Value.SerializerOptions)), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Null when there is no such job (or it expired); else its status and, when done, its result.</summary>
    public async Task<(AskStatus Status, AskResponse? Result, string? Error)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var record = await results.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null || record.ExpiresAt < time.GetUtcNow())
        {
            return null;
        }

        return record.ResultJson is { } result
            ? (record.Status, JsonSerializer.Deserialize<AskResponse>(result, json.Value.SerializerOptions), null)
            : (record.Status, null, record.Error);
    }

    /// <summary>The AskJob function: runs one accepted ask from the queue and records its outcome.</summary>
    public async Task<AskStatus?> RunQueuedAsync(string message, CancellationToken cancellationToken)
    {
        QueuedAsk? queued;
        try
        {
            queued = JsonSerializer.Deserialize<QueuedAsk>(message, json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"An AskJob message is {{\"id\", \"question\"}} JSON: {ex.Message}", nameof(message), ex);
        }

        if (queued is not { Id.Length: > 0, Question.Length: > 0 })
        {
            throw new ArgumentException("An AskJob message needs an id and a question.", nameof(message));
        }

        var record = await results.GetAsync(queued.Id, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Status != AskStatus.Running)
        {
            // Expired, or already answered by an earlier delivery: at least once, but never twice.
            var status = record?.Status.ToText() ?? "gone";
            AskLog.AsyncAskSkipped(logger, queued.Id, status);
            return record?.Status;
        }

        // An instance that has just started takes queued asks before its index is loaded: they wait for it.
        await index.WhenReadyAsync(cancellationToken).ConfigureAwait(false);
        var expires = time.GetUtcNow() + options.Value.AsyncResultTtl;
        AskResponse result;
        try
        {
            result = await asks.AskAsync(queued.Question, queued.AcceptedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AskLog.AsyncAskFailed(logger, ex, queued.Id);
            await results.FailAsync(queued.Id, "The ask failed on the server; see the app's logs for ask " + queued.Id + ".", expires, cancellationToken).ConfigureAwait(false);
            return AskStatus.Failed;
        }

        await results.CompleteAsync(queued.Id, JsonSerializer.Serialize(result, json.Value.SerializerOptions), expires, cancellationToken).ConfigureAwait(false);
        return AskStatus.Done;
    }

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => results.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);

    /// <summary>An accepted ask; <paramref name="AcceptedAt"/> is its arrival, by which its calls are served (G11).</summary>
    private sealed record QueuedAsk(string Id, string Question, DateTimeOffset? AcceptedAt = null);
}

using System.Text.Json;
using DocServer.Functions.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>
/// Asynchronous asks: the caller gets 202 and a status URL at once; the ask runs in the background
/// and its result is kept (see <see cref="Storage.Asks.AskResultStore"/>) for AsyncResultTtl, so any
/// instance can answer the poll. A job whose instance died stays "running" until it expires.
/// </summary>
internal sealed class AskJobs(StorageResources storage, AskService asks, IOptions<DocServerOptions> options, IOptions<JsonOptions> json, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<AskJobs> logger)
{
    public async Task<string> StartAsync(string question, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        await storage.Asks.StartAsync(id, time.GetUtcNow() + options.Value.AsyncResultTtl, cancellationToken).ConfigureAwait(false);

        // Runs on after this request ends; stops with the app.
        _ = Task.Run(() => RunAsync(id, question, lifetime.ApplicationStopping), CancellationToken.None);
        return id;
    }

    /// <summary>Null when there is no such job (or it expired); else its status and, when done, its result.</summary>
    public async Task<(string Status, AskResponse? Result, string? Error)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var record = await storage.Asks.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null || record.ExpiresAt < time.GetUtcNow())
        {
            return null;
        }

        return record.ResultJson is { } result
            ? (record.Status, JsonSerializer.Deserialize<AskResponse>(result, json.Value.SerializerOptions), null)
            : (record.Status, null, record.Error);
    }

    private async Task RunAsync(string id, string question, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow() + options.Value.AsyncResultTtl;
        AskResponse? result = null;
        try
        {
            result = await asks.AskAsync(question, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AskLog.AsyncAskFailed(logger, ex, id);
        }

        try
        {
            if (result is not null)
            {
                await storage.Asks.CompleteAsync(id, JsonSerializer.Serialize(result, json.Value.SerializerOptions), expires, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await storage.Asks.FailAsync(id, "The ask failed on the server; see the app's logs for ask " + id + ".", expires, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nobody awaits this task: say so in the log, or the job would stay "running" without a trace.
            AskLog.AsyncAskNotRecorded(logger, ex, id);
        }
    }
}

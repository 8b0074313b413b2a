using System.Text.Json;
using DocServer.Functions.Configuration;
using DocServer.Storage.Tables;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>
/// Asynchronous asks: the caller gets 202 and a status URL at once; the ask runs in the background
/// and its result is kept (status in a table row, result in a blob) for AsyncResultTtl, so any
/// instance can answer the poll. A job whose instance died stays "running" until it expires.
/// </summary>
internal sealed class AskJobs(StorageResources storage, AskService asks, IOptions<DocServerOptions> options, IOptions<JsonOptions> json, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<AskJobs> logger)
{
    private const string Partition = "ask";

    public async Task<string> StartAsync(string question, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        await storage.Asks.AddEntityAsync(new TableEntity(Partition, id)
        {
            ["Status"] = "running",
            ["ExpiresAt"] = time.GetUtcNow() + options.Value.AsyncResultTtl,
        }, cancellationToken).ConfigureAwait(false);

        // Runs on after this request ends; stops with the app.
        _ = Task.Run(() => RunAsync(id, question, lifetime.ApplicationStopping), CancellationToken.None);
        return id;
    }

    /// <summary>Null when there is no such job (or it expired); else its status and, when done, its result.</summary>
    public async Task<(string Status, AskResponse? Result, string? Error)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await storage.Asks.GetEntityAsync(Partition, id, cancellationToken).ConfigureAwait(false);
        if (row is null || row["ExpiresAt"] is DateTimeOffset expires && expires < time.GetUtcNow())
        {
            return null;
        }

        var status = row.GetString("Status") ?? "running";
        if (status != "done")
        {
            return (status, null, row.GetString("Error"));
        }

        var blob = await storage.AskResults.DownloadAsync(id, cancellationToken).ConfigureAwait(false);
        return blob is null ? null : (status, blob.Data.ToObjectFromJson<AskResponse>(json.Value.SerializerOptions), null);
    }

    private async Task RunAsync(string id, string question, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, id) { ["ExpiresAt"] = time.GetUtcNow() + options.Value.AsyncResultTtl };
        try
        {
            var result = await asks.AskAsync(question, cancellationToken).ConfigureAwait(false);
            await storage.AskResults.UploadAsync(id, BinaryData.FromString(JsonSerializer.Serialize(result, json.Value.SerializerOptions)), "application/json", cancellationToken).ConfigureAwait(false);
            row["Status"] = "done";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AskLog.AsyncAskFailed(logger, ex, id);
            row["Status"] = "failed";
            row["Error"] = "The ask failed on the server; see the app's logs for ask " + id + ".";
        }

        try
        {
            await storage.Asks.UpsertEntityAsync(row, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nobody awaits this task: say so in the log, or the job would stay "running" without a trace.
            AskLog.AsyncAskNotRecorded(logger, ex, id);
        }
    }
}

using DocServer.Functions.Configuration;
using DocServer.Storage.Queues;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Standalone only: polls the Extract queue as the Functions host would. A received message is
/// invisible to other instances for QueueVisibilityTimeout; success deletes it; failure leaves it to
/// reappear and be retried; after MaxDequeueCount failures it moves to the "-poison" queue.
/// </summary>
internal sealed class QueueListener(FunctionInvoker invoker, StorageResources storage, IOptions<DocServerOptions> options, IOptions<QueueTriggerOptions> queues, TimeProvider time, ILogger<QueueListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!DocServerHost.IsStandalone(options.Value))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                if (handled == 0)
                {
                    await Task.Delay(queues.Value.MaxPollingInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                FunctionLog.PollFailed(logger, ex, storage.Extract.Name);
                await Task.Delay(queues.Value.MaxPollingInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Receives and handles one batch; returns how many messages it saw.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var messages = await storage.Extract.ReceiveAsync(queues.Value.BatchSize, TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        foreach (var message in messages)
        {
            await HandleAsync(message, cancellationToken).ConfigureAwait(false);
        }

        return messages.Count;
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await invoker.InvokeAsync("Extract", message.Text, cancellationToken).ConfigureAwait(false);
            await storage.Extract.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A warning, not a stack trace: with no model reachable this happens on every retry.
            FunctionLog.AttemptFailed(logger, "Extract", message.DequeueCount, queues.Value.MaxDequeueCount, ex.Message);
            if (message.DequeueCount >= queues.Value.MaxDequeueCount)
            {
                await storage.ExtractPoison.SendAsync(message.Text, cancellationToken).ConfigureAwait(false);
                await storage.Extract.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
                FunctionLog.Poisoned(logger, storage.Extract.Name, message.MessageId, message.DequeueCount, storage.ExtractPoison.Name);
            }
        }
    }
}

using DocServer.Functions.Configuration;
using DocServer.Storage.Queues;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Standalone only: reads one queue (Extract's, or AskJob's) as the Functions host does, with host.json's
/// <c>extensions.queues</c> meaning what they mean to the host: <c>batchSize</c> messages at once, run in
/// parallel; a running message kept invisible (renewed while it runs, so a long extraction never reappears
/// for another instance); success deletes it; a failure makes it visible again after <c>visibilityTimeout</c>;
/// after <c>maxDequeueCount</c> attempts it moves to the "-poison" queue. An empty queue is polled less and
/// less often, up to <c>maxPollingInterval</c>.
/// </summary>
internal sealed class QueueListener(
    string function, QueuedWork queue, QueuedWork poison, FunctionInvoker invoker, StorageProvisioner provisioner, IOptions<DocServerOptions> options, IOptions<QueueTriggerOptions> queues, TimeProvider time, ILogger<QueueListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!DocServerHost.IsStandalone(options.Value))
        {
            return;
        }

        var delay = FirstPollDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                delay = handled > 0 ? FirstPollDelay : Min(delay * 2, queues.Value.MaxPollingInterval);
                if (handled == 0)
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (Storage.StorageFailures.IsUnavailable(ex))
            {
                // Storage down, or our queue gone with it: a warning (this repeats while it lasts), and a pass to create it.
                FunctionLog.StorageDown(logger, queue.Name, Storage.StorageFailures.Describe(ex));
                provisioner.OutageSeen();
                await Task.Delay(queues.Value.MaxPollingInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                FunctionLog.PollFailed(logger, ex, queue.Name);
                await Task.Delay(queues.Value.MaxPollingInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Receives one batch and runs its messages in parallel; returns how many messages it saw.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var messages = await queue.ReceiveAsync(queues.Value.BatchSize, options.Value.QueueMessageLease, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Count;
    }

    private async Task HandleAsync(WorkItem message, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = KeepInvisibleAsync(message, running.Token);
        try
        {
            await invoker.InvokeAsync(function, message.Text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }
        finally
        {
            await running.CancelAsync().ConfigureAwait(false);
        }

        // The renewal has stopped: its receipt is the message's current one.
        if (await renewal.ConfigureAwait(false) is not { } current)
        {
            FunctionLog.MessageLost(logger, queue.Name, message.MessageId);
            return;
        }

        if (failure is null)
        {
            // A failed delete (the message was taken back meanwhile) is not a failed extraction: the work is done.
            if (!await queue.DeleteAsync(current, cancellationToken).ConfigureAwait(false))
            {
                FunctionLog.MessageLost(logger, queue.Name, message.MessageId);
            }

            return;
        }

        // A warning, not a stack trace: with no model reachable this happens on every retry.
        FunctionLog.AttemptFailed(logger, function, message.DequeueCount, queues.Value.MaxDequeueCount, failure.Message);
        if (message.DequeueCount >= queues.Value.MaxDequeueCount)
        {
            await poison.SendAsync(message.Text, cancellationToken).ConfigureAwait(false);
            await queue.DeleteAsync(current, cancellationToken).ConfigureAwait(false);
            FunctionLog.Poisoned(logger, queue.Name, message.MessageId, message.DequeueCount, poison.Name);
        }
        else
        {
            await queue.ExtendAsync(current, queues.Value.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the message's invisibility until <paramref name="stop"/>; the message with its latest receipt, or null if it was lost.</summary>
    private async Task<WorkItem?> KeepInvisibleAsync(WorkItem message, CancellationToken stop)
    {
        var current = message;
        while (true)
        {
            try
            {
                // A third of the lease, as the gate's lease renews: a renewal slowed by a busy store still lands
                // before the message reappears (at half, one slow request let another instance take it; seen in CI).
                await Task.Delay(options.Value.QueueMessageLease / 3, time, stop).ConfigureAwait(false);
                if (await queue.ExtendAsync(current, options.Value.QueueMessageLease, stop).ConfigureAwait(false) is not { } renewed)
                {
                    return null;
                }

                current = renewed;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return current;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A storage blip: try again at the next renewal; the message stays invisible until then.
                FunctionLog.PollFailed(logger, ex, queue.Name);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

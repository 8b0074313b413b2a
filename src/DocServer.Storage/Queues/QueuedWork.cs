using Azure;
using Azure.Storage.Queues;

namespace DocServer.Storage.Queues;

/// <summary>
/// A queue of background work (one message per job), read the way the Functions host reads it: messages in
/// Base64, a received message invisible for a while and kept invisible by its receiver while it runs, and
/// deleted when done.
/// </summary>
public sealed class QueuedWork
{
    private readonly QueueClient _queue;

    public QueuedWork(StorageClients clients, string name)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _queue = clients.Queue(name);
    }

    public string Name => _queue.Name;

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task SendAsync(string text, CancellationToken cancellationToken) =>
        await _queue.SendMessageAsync(text, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a message that becomes visible only after <paramref name="delay"/> (work put off until later).</summary>
    public async Task SendLaterAsync(string text, TimeSpan delay, CancellationToken cancellationToken) =>
        await _queue.SendMessageAsync(text, visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Up to <paramref name="maxMessages"/> messages, each invisible to other receivers for <paramref name="visibilityTimeout"/>.</summary>
    public async Task<IReadOnlyList<WorkItem>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var messages = await _queue.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return [.. messages.Value.Select(m => new WorkItem(m.MessageId, m.PopReceipt, m.DequeueCount, m.Body.ToString()))];
    }

    /// <summary>
    /// Keeps the message invisible for another <paramref name="visibilityTimeout"/> from now; the item with its new
    /// receipt, or null when the message is no longer this receiver's (deleted, or received by someone else).
    /// </summary>
    public async Task<WorkItem?> ExtendAsync(WorkItem item, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            var receipt = await _queue.UpdateMessageAsync(item.MessageId, item.PopReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return item with { PopReceipt = receipt.Value.PopReceipt };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            return null;
        }
    }

    /// <summary>Deletes the message; false when it was no longer this receiver's (not a failure of the work it carried).</summary>
    public async Task<bool> DeleteAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            await _queue.DeleteMessageAsync(item.MessageId, item.PopReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            return false;
        }
    }

    /// <summary>About how many messages wait (the service's estimate).</summary>
    public async Task<int> ApproximateCountAsync(CancellationToken cancellationToken) =>
        (await _queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
}

using Azure;
using Azure.Storage.Queues;

namespace DocServer.Storage.Queues;

/// <summary>
/// A storage queue as the Functions host and the task hub use one (messages in Base64, a received message invisible
/// for a while, deleted when done). The app reads one for its length only (the task hub's backlog); sending,
/// receiving and deleting are what its tests do to stand in for the hub.
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

    /// <summary>Up to <paramref name="maxMessages"/> messages, each invisible to other receivers for <paramref name="visibilityTimeout"/>.</summary>
    public async Task<IReadOnlyList<WorkItem>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var messages = await _queue.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return [.. messages.Value.Select(m => new WorkItem(m.MessageId, m.PopReceipt, m.DequeueCount, m.Body.ToString()))];
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

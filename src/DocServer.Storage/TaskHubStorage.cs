namespace DocServer.Storage;

/// <summary>
/// The tables, queues and containers a Durable task hub keeps on the account (DurableTask.AzureStorage's names). Its
/// provider creates them once per process; an account that lost them while the app ran (a restored account, an
/// emulator restarted empty) gets them back from here, as the app's own resources come back (StorageProvisioner).
/// </summary>
public sealed class TaskHubStorage(StorageClients clients, string hubName, int partitionCount)
{
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        var lower = hubName.ToLowerInvariant();
        var tables = new[] { hubName + "History", hubName + "Instances", hubName + "Partitions" }.Select(t => clients.Table(t).CreateIfNotExistsAsync(cancellationToken));
        var queues = Enumerable.Range(0, partitionCount).Select(p => $"{lower}-control-{p:00}").Append($"{lower}-workitems").Select(q => clients.Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        var containers = new[] { $"{lower}-leases", $"{lower}-largemessages" }.Select(c => clients.Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(tables.Cast<Task>().Concat(queues).Concat(containers)).ConfigureAwait(false);
    }
}

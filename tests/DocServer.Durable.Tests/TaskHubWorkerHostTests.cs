using Azure;
using Azure.Data.Tables;
using DocServer.Durable.TaskHub;
using DocServer.Storage;
using DocServer.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocServer.Durable.Tests;

/// <summary>The standalone task hub worker starts and stops with its app, whenever the stop comes.</summary>
public sealed class TaskHubWorkerHostTests
{
    [Fact]
    public async Task StopAsync_AtAnyMomentOfTheStart_LeavesNoWorkerHoldingTheHubsPartition()
    {
        var azurite = await AzuriteServer.GetAsync();

        // The stop lands before, during and after the worker's own start (the hub's storage checks, then the
        // worker's dispatchers), on a hub of its own each time, made beforehand as an app's earlier run would have.
        var startedAt = new List<string>();
        foreach (var delay in new[] { 0, 20, 50, 120, 300 })
        {
            var options = new TaskHubOptions { HubName = "t" + Guid.NewGuid().ToString("N")[..16] };
            using var service = new TaskHubService(StorageAccount.FromConnectionString(azurite.ConnectionString), options, NullLoggerFactory.Instance);
            await service.CreateIfNotExistsAsync(CancellationToken.None);
            var host = new TaskHubWorkerHost(service, new DurableDefinitions(), TimeProvider.System, NullLoggerFactory.Instance);

            await host.StartAsync(CancellationToken.None);
            await Task.Delay(delay);
            startedAt.Add(host.IsStarted ? $"{delay} ms: running" : $"{delay} ms: starting");
            await host.StopAsync(CancellationToken.None);

            // A worker left running claims the partition at its first pass, well within this.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var owner = await PartitionOwnerAsync(azurite.ConnectionString, options.HubName);
            Assert.True(owner is null, $"stopped {delay} ms after its start, a worker ({owner}) still holds the partition of hub {options.HubName} ({string.Join(", ", startedAt)})");
        }
    }

    /// <summary>Who holds the hub's partition lease now: null when nobody does, or when no worker ever made the table.</summary>
    private static async Task<string?> PartitionOwnerAsync(string connectionString, string hubName)
    {
        var table = new TableClient(connectionString, hubName + "Partitions");
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                if (row.GetString("CurrentOwner") is { } owner)
                {
                    return owner;
                }
            }

            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

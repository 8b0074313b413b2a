using System.Globalization;
using DocServer.Core.Gates;
using DocServer.Durable.Gates;
using DocServer.Durable.TaskHub;
using DocServer.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: DocServer.GateHolderProcess <connection string> <task hub> <gate> <lease ttl ms> <waiter ttl ms> [worker]
// Acquires the gate as a foreground caller, prints "GRANTED <fencing token>" once it holds it, and then keeps the
// lease (renewing) until it is killed. Killed while still queued, it is a vanished waiter. With "worker" it also
// runs a task hub worker, so it may be the process that hosts the gate entity when it dies.
if (args.Length is not (5 or 6))
{
    await Console.Error.WriteLineAsync("usage: <connection string> <task hub> <gate> <lease ttl ms> <waiter ttl ms> [worker]");
    return 2;
}

var policy = new GatePolicy
{
    LeaseTtl = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture)),
    WaiterTtl = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture)),
};
var catalog = new GateCatalog(new Dictionary<string, GatePolicy> { [args[2]] = policy });
var hub = new TaskHubService(StorageAccount.FromConnectionString(args[0]), new TaskHubOptions { HubName = args[1], MaxQueuePollingInterval = TimeSpan.FromMilliseconds(50) }, NullLoggerFactory.Instance);
if (args.Length == 6 && args[5] == "worker")
{
    var definitions = new DurableDefinitions();
    definitions.Entities[GateEntity.Name] = () => new GateEntity(catalog, TimeProvider.System, NullLogger<GateEntity>.Instance);
    var worker = new TaskHubWorkerHost(hub, definitions, TimeProvider.System, NullLoggerFactory.Instance);
    await worker.StartAsync(CancellationToken.None);
    while (!worker.IsStarted)
    {
        await Task.Delay(50);
    }

    Console.WriteLine("WORKER");
}

var client = new GateClient(new EntityGateStore(new TaskHubDurableWork(hub), TimeProvider.System), catalog, TimeProvider.System, NullLogger<GateClient>.Instance, EntityGateStoreOptions.Polling(new GateClientOptions { Owner = "doomed-process" }));
var acquisition = await client.AcquireAsync(args[2], GatePriority.Foreground, TimeSpan.FromMinutes(10), CancellationToken.None);
Console.WriteLine($"GRANTED {acquisition.Lease!.FencingToken}");
await Task.Delay(Timeout.Infinite);
return 0;

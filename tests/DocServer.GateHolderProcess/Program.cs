using System.Globalization;
using DocServer.Core.Gates;
using DocServer.Storage;
using DocServer.Storage.Entities;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: DocServer.GateHolderProcess <connection string> <table> <gate> <lease ttl ms> <waiter ttl ms>
// Acquires the gate as a foreground caller, prints "GRANTED <fencing token>" once it holds it, and then
// keeps the lease (renewing) until it is killed. Killed while still queued, it is a vanished waiter.
if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: <connection string> <table> <gate> <lease ttl ms> <waiter ttl ms>");
    return 2;
}

var table = new TableEntityRowStore(new StorageClients(StorageAccount.FromConnectionString(args[0]), new StorageRetry(TimeSpan.FromSeconds(5), 1, TimeSpan.FromMilliseconds(50))), args[1]);
var policy = new GatePolicy
{
    LeaseTtl = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture)),
    WaiterTtl = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture)),
};
var catalog = new GateCatalog(new Dictionary<string, GatePolicy> { [args[2]] = policy });
var client = new GateClient(new EntityStore(table, TimeProvider.System), catalog, TimeProvider.System, NullLogger<GateClient>.Instance, new GateClientOptions { Owner = "doomed-process" });

var acquisition = await client.AcquireAsync(args[2], GatePriority.Foreground, TimeSpan.FromMinutes(10), CancellationToken.None);
Console.WriteLine($"GRANTED {acquisition.Lease!.FencingToken}");
await Task.Delay(Timeout.Infinite);
return 0;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DocServer.Storage;
using DocServer.Storage.Entities;

namespace DocServer.Testing;

/// <summary>
/// The Azurite every storage test in a test run talks to. <c>./test.sh</c> (and CI) start one and pass
/// its connection string in <see cref="EnvironmentVariable"/>; run from an IDE, the first test that
/// needs it starts one from the repository's node_modules on free ports, in memory, and it is killed
/// when the test process exits. Tests isolate themselves by table name, never by sharing rows.
/// </summary>
public sealed class AzuriteServer
{
    public const string EnvironmentVariable = "DOCSERVER_TEST_STORAGE";

    private static readonly Lazy<Task<AzuriteServer>> Shared = new(StartAsync);

    private AzuriteServer(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    /// <summary>Azurite's well-known development account (public, documented, not a secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static Task<AzuriteServer> GetAsync() => Shared.Value;

    /// <summary>Our storage clients on this Azurite; each call gives new clients (their own HTTP pipeline, as another app instance would have).</summary>
    public StorageClients Clients(StorageRetry? retry = null) =>
        new(StorageAccount.FromConnectionString(ConnectionString), retry ?? new StorageRetry(TimeSpan.FromSeconds(10), 2, TimeSpan.FromMilliseconds(50)));

    /// <summary>The SDK's client for a table, for tests that write rows as another program would.</summary>
    public Azure.Data.Tables.TableClient RawTable(string name) => new(ConnectionString, name);

    /// <summary>An entity row store on a new, empty table with a unique name: no test sees another test's rows.</summary>
    public async Task<TableEntityRowStore> CreateRowStoreAsync()
    {
        var rows = new TableEntityRowStore(Clients(), UniqueName("t"));
        await rows.CreateIfNotExistsAsync(CancellationToken.None);
        return rows;
    }

    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}: cannot find the repository.");
    }

    private static async Task<AzuriteServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return new AzuriteServer(given);
        }

        var root = RepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed: run `npm ci` in {root} (./test.sh does it for you).");
        }

        var (blob, queue, table) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var folder = Directory.CreateTempSubdirectory("docserver-azurite-").FullName;
        var start = new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                "--silent", "--inMemoryPersistence", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process, folder);

        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForPortAsync(process, port);
        }

        return new AzuriteServer(
            $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{DevelopmentAccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/{DevelopmentAccountName};" +
            $"TableEndpoint=http://127.0.0.1:{table}/{DevelopmentAccountName}");
    }

    private static async Task WaitForPortAsync(Process process, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within 60 s.");
    }

    private static void Stop(Process process, string folder)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        Directory.Delete(folder, recursive: true);
    }
}

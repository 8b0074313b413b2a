using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DocServer.Storage;
using DocServer.Storage.Tables;

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

    public StorageAccount Account => StorageConnectionString.Parse(ConnectionString);

    public static Task<AzuriteServer> GetAsync() => Shared.Value;

    /// <summary>A new, empty table with a unique name: no test sees another test's rows.</summary>
    public async Task<TableClient> CreateTableAsync(StorageClientOptions? options = null, TimeProvider? time = null)
    {
        var table = new TableClient(Account, UniqueName("t"), options, time);
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        return table;
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
            $"DefaultEndpointsProtocol=http;AccountName={StorageAccount.DevelopmentAccountName};AccountKey={StorageAccount.DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{StorageAccount.DevelopmentAccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/{StorageAccount.DevelopmentAccountName};" +
            $"TableEndpoint=http://127.0.0.1:{table}/{StorageAccount.DevelopmentAccountName}");
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

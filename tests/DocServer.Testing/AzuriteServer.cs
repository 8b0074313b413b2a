using DocServer.Storage;

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

        // Run from an IDE: an in-memory Azurite of our own, killed when the test process exits.
        var azurite = await AzuriteProcess.StartAsync(inMemory: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Dispose();
        return new AzuriteServer(azurite.ConnectionString);
    }
}

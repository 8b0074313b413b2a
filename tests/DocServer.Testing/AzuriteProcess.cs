using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DocServer.Testing;

/// <summary>
/// One Azurite process from the repository's node_modules on fixed loopback ports, with its data in a folder,
/// so a test can kill it (a storage outage) and start it again on the same ports and data.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private readonly string _folder;
    private readonly bool _inMemory;
    private readonly (int Blob, int Queue, int Table) _ports;
    private Process? _process;

    private AzuriteProcess(string folder, bool inMemory)
    {
        _folder = folder;
        _inMemory = inMemory;
        _ports = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
    }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.DevelopmentAccountName};AccountKey={AzuriteServer.DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports.Blob}/{AzuriteServer.DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{_ports.Queue}/{AzuriteServer.DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{_ports.Table}/{AzuriteServer.DevelopmentAccountName}";

    /// <summary>Starts Azurite; <paramref name="inMemory"/> keeps nothing on disk (a restart then comes back empty).</summary>
    public static async Task<AzuriteProcess> StartAsync(bool inMemory = false)
    {
        var azurite = NotStarted(inMemory);
        await azurite.RestartAsync();
        return azurite;
    }

    /// <summary>Its ports and connection string, with nothing listening yet (storage down from the start); <see cref="RestartAsync"/> starts it.</summary>
    public static AzuriteProcess NotStarted(bool inMemory = false) => new(Directory.CreateTempSubdirectory("docserver-azurite-").FullName, inMemory);

    /// <summary>Starts it (again) on the same ports and data folder, and waits until all three services listen.</summary>
    public async Task RestartAsync()
    {
        var executable = Path.Combine(AzuriteServer.RepositoryRoot(), "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed: run `npm ci` in {AzuriteServer.RepositoryRoot()} (./test.sh does it for you).");
        }

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--blobPort", $"{_ports.Blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{_ports.Queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{_ports.Table}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        // Azurite takes either a data folder or in-memory persistence, not both.
        start.ArgumentList.Add(_inMemory ? "--inMemoryPersistence" : "--location");
        if (!_inMemory)
        {
            start.ArgumentList.Add(_folder);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        foreach (var port in new[] { _ports.Blob, _ports.Queue, _ports.Table })
        {
            await WaitForPortAsync(_process, port);
        }
    }

    /// <summary>
    /// Takes storage away at once: SIGTERM, so it stops listening and drops every connection immediately, as a
    /// network cut would. Not SIGKILL: Azurite keeps table data in memory and writes it to disk every few
    /// seconds, so a SIGKILL loses writes it had acknowledged, which Azure Storage never does.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var terminate = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
            await terminate!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: make sure it is gone.
            }
        }

        Kill();
    }

    /// <summary>
    /// Freezes it (SIGSTOP): connections are still taken and requests still sent, and nothing answers, as with a
    /// storage account starved or stalled. <see cref="ThawAsync"/> lets it answer what it was sent.
    /// </summary>
    public Task FreezeAsync() => UnixSignal.SendAsync(Running.Id, "STOP");

    public Task ThawAsync() => UnixSignal.SendAsync(Running.Id, "CONT");

    private Process Running => _process ?? throw new InvalidOperationException("Azurite is not running.");

    /// <summary>Kills it at once (SIGKILL).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the temp folder is cleaned by the system later.
        }
    }

    private static async Task WaitForPortAsync(Process process, int port)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
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
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace DocServer.Testing;

/// <summary>
/// The function app as a real process (the DocServer.Functions.dll built beside the caller), with its
/// settings as environment variables, for crash, multi-instance, start-up and hosting-mode checks.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private int _disposed;

    private AppProcess(Process process, string? url)
    {
        _process = process;
        Url = url;
        _process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Where it listens, when started with a URL.</summary>
    public string? Url { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    /// <summary>Starts the app; <paramref name="url"/> null leaves the listening address to its settings; <paramref name="arguments"/> go on its command line.</summary>
    public static AppProcess Start(IReadOnlyDictionary<string, string> environment, string? url = null, IEnumerable<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "DocServer.Functions.dll") }, WorkingDirectory = AppContext.BaseDirectory };
        if (url is not null)
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(url);
        }

        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        return Start(start, environment, url);
    }

    /// <summary>Starts the app of a published package from its folder, as worker.config.json says (dotnet and the dll), standalone.</summary>
    public static AppProcess StartPublished(string folder, IReadOnlyDictionary<string, string> environment, string url) =>
        Start(new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(folder, "DocServer.Functions.dll"), "--urls", url }, WorkingDirectory = folder }, environment, url);

    private static AppProcess Start(ProcessStartInfo start, IReadOnlyDictionary<string, string> environment, string? url)
    {
        ArgumentNullException.ThrowIfNull(environment);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the app"), url)
        {
            FunctionKey = environment.TryGetValue("DocServer__FunctionKey", out var key) && key.Length > 0 ? key : null,
        };
    }

    /// <summary>The key its API asks for (DocServer__FunctionKey), sent by <see cref="WaitUntilUpAsync"/>.</summary>
    public string? FunctionKey { get; private init; }

    /// <summary>
    /// Waits for <paramref name="url"/> (default: its own) to be ready: GET /api/health answering with its index
    /// loaded (asks answer 503 until then); throws if it exits first.
    /// </summary>
    public async Task WaitUntilUpAsync(TimeSpan timeout, string? url = null)
    {
        var target = $"{url ?? Url}/api/health";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (FunctionKey is not null)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(target).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (body.Contains("\"ready\":true", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (deadline.Elapsed < timeout)
            {
                // A probe that took over 5 s (an app still starting on a busy machine) is "not ready yet", as in
                // Kubernetes or the Functions host; the overall timeout decides. One such probe failed a CI start.
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new TimeoutException($"the app did not answer {target} within {timeout}:\n{Output}");
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Resident memory, from /proc (Linux).</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Freezes the app (SIGSTOP), as a paused VM or a process starved of CPU: it does nothing until <see cref="Resume"/>.</summary>
    public Task SuspendAsync() => SignalAsync("STOP");

    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}");
        await kill.WaitForExitAsync().ConfigureAwait(false);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}");
        }
    }

    /// <summary>Kills the app (if it still runs); safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}

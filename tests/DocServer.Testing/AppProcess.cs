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

    private const string ListeningLine = "Now listening on: ";
    private readonly string? _url;
    private volatile string? _listening;

    private AppProcess(Process process, string? url)
    {
        _process = process;
        _url = url;
        _process.OutputDataReceived += (_, e) =>
        {
            var line = e.Data ?? string.Empty;
            if (_listening is null && line.IndexOf(ListeningLine, StringComparison.Ordinal) is var at and >= 0)
            {
                _listening = line[(at + ListeningLine.Length)..].Trim();
            }

            _output.Enqueue(line);
        };
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Where it listens, when started with a URL. Started on port 0 (<see cref="AnyPort"/>), the port the app bound,
    /// known once <see cref="WaitUntilUpAsync"/> has returned.
    /// </summary>
    public string? Url => _url is not null && _url.EndsWith(":0", StringComparison.Ordinal)
        ? _listening ?? throw new InvalidOperationException("The app has not said where it listens yet: await WaitUntilUpAsync first.")
        : _url;

    /// <summary>
    /// A URL that lets the app take any free loopback port itself. A port chosen by the test and handed to the app
    /// could be taken by another test's process in between (the fault tests run side by side): the app then failed to
    /// bind, and the other test's app answered in its place.
    /// </summary>
    public const string AnyPort = "http://127.0.0.1:0";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>It has exited and was not killed by <see cref="Dispose"/>: a crash, or a host that stopped itself.</summary>
    public bool ExitedOnItsOwn => Volatile.Read(ref _disposed) == 0 && _process.HasExited;

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
    /// loaded (asks answer 503 until then); throws if it exits first. On its own URL, only once this process has said
    /// it listens: an answer before that would come from another process on the port.
    /// </summary>
    public async Task WaitUntilUpAsync(TimeSpan timeout, string? url = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (FunctionKey is not null)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        }

        var deadline = Stopwatch.StartNew();
        if (url is null)
        {
            await ListeningAsync(timeout).ConfigureAwait(false);
        }

        var target = $"{url ?? Url}/api/health";
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

    /// <summary>Waits until the app has bound its port and returns its URL (for a test of an app that is not ready by design); throws if it exits first.</summary>
    public async Task<string> ListeningAsync(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (_listening is null)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {_process.ExitCode} before it listened:\n{Output}");
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"the app did not listen within {timeout}:\n{Output}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return _listening;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Resident memory, from /proc (Linux).</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Freezes the app (SIGSTOP), as a paused VM or a process starved of CPU: it does nothing until <see cref="Resume"/>.</summary>
    public Task SuspendAsync() => UnixSignal.SendAsync(_process.Id, "STOP");

    public Task ResumeAsync() => UnixSignal.SendAsync(_process.Id, "CONT");

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

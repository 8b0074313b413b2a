using System.Diagnostics;
using System.Reflection;

namespace DocServer.Infra.Tests;

/// <summary>The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64), at the BicepPath its package sets.</summary>
internal static class BicepCli
{
    public static string Path { get; } = Find();

    /// <summary>Runs bicep with these arguments in <paramref name="directory"/>; returns the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry or update checks: this machine has no way out, and a test must not wait on one.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static string Find()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value;
        path = path?.Replace('\\', '/');
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"The Bicep CLI is not at '{path}': restore Azure.Bicep.CommandLine.linux-x64 (dotnet restore).");
        }

        // NuGet extraction does not always keep the executable bit.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}

using System.Diagnostics;

namespace DocServer.Benchmarks;

/// <summary>
/// Another build's benchmark (its DocServer.Benchmarks.dll, e.g. from a worktree of the commit before a change), run
/// as a process on this machine just before this build's, so the two tables are measured side by side.
/// </summary>
internal static class Baseline
{
    public static async Task<int> RunThenAsync(string folder, string benchmark, Func<Task<int>> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var dll = Path.Combine(Path.GetFullPath(folder), "DocServer.Benchmarks.dll");
        if (!File.Exists(dll))
        {
            await Console.Error.WriteLineAsync($"no {dll}: build the other commit's benchmarks first (dotnet build -c Release bench/DocServer.Benchmarks in its worktree)").ConfigureAwait(false);
            return 2;
        }

        Console.WriteLine($"## baseline: {benchmark} of the build in {folder}");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll, benchmark }, WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false };
        // The baseline finds Azurite as this process does (DOCSERVER_TEST_STORAGE, or its own from node_modules).
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        await process.WaitForExitAsync().ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine($"## this build: {benchmark}");
        var code = await current().ConfigureAwait(false);
        return process.ExitCode != 0 ? process.ExitCode : code;
    }
}

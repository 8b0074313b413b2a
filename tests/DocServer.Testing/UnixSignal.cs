using System.Diagnostics;
using System.Globalization;

namespace DocServer.Testing;

/// <summary>Sends a POSIX signal to a process (`kill -SIG pid`): how the tests freeze, thaw or stop the processes they start.</summary>
internal static class UnixSignal
{
    /// <summary>Sends <paramref name="signal"/> (STOP, CONT, TERM); throws when kill fails (the process is gone).</summary>
    public static async Task SendAsync(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", processId.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("could not start kill");
        await kill.WaitForExitAsync().ConfigureAwait(false);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} exited with {kill.ExitCode}");
        }
    }
}

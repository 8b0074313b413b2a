using System.Diagnostics;
using System.IO.Compression;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// The packages scripts/publish.sh builds, once per test run: win-x64 (what infra/ deploys) and
/// linux-x64 (whose handler can run here), each also extracted to a folder.
/// </summary>
public sealed class PublishedPackages
{
    private static readonly Lazy<Task<PublishedPackages>> Shared = new(PublishAsync);

    private PublishedPackages(string windowsZip, string linuxZip, string linuxFolder)
    {
        WindowsZip = windowsZip;
        LinuxZip = linuxZip;
        LinuxFolder = linuxFolder;
    }

    public string WindowsZip { get; }

    public string LinuxZip { get; }

    /// <summary>The linux-x64 package extracted, laid out as the Functions host sees it (host.json, function folders, handler/).</summary>
    public string LinuxFolder { get; }

    public static Task<PublishedPackages> GetAsync() => Shared.Value;

    private static async Task<PublishedPackages> PublishAsync()
    {
        var work = Directory.CreateTempSubdirectory("docserver-packages").FullName;
        var windows = Path.Combine(work, "win.zip");
        var linux = Path.Combine(work, "linux.zip");
        // One after the other: both build the same project for write-functions.
        await PublishAsync([windows]);
        await PublishAsync(["--runtime", "linux-x64", linux]);
        var folder = Path.Combine(work, "linux");
        ZipFile.ExtractToDirectory(linux, folder);
        return new PublishedPackages(windows, linux, folder);
    }

    private static async Task PublishAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AzuriteServer.RepositoryRoot(), "scripts", "publish.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(start)!;
        var errors = publish.StandardError.ReadToEndAsync();
        var output = publish.StandardOutput.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"publish.sh {string.Join(' ', arguments)} failed: {await output}\n{await errors}");
        }
    }
}

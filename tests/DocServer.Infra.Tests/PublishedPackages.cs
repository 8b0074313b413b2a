using System.Diagnostics;
using System.IO.Compression;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// The package scripts/publish.sh builds, once per test run: win-x64 (what infra/ deploys), also extracted to a
/// folder. It is framework-dependent (the host starts it as <c>dotnet DocServer.Functions.dll</c>), so the same
/// files run here.
/// </summary>
public sealed class PublishedPackages
{
    private static readonly Lazy<Task<PublishedPackages>> Shared = new(PublishAsync);

    private PublishedPackages(string windowsZip, string windowsFolder)
    {
        WindowsZip = windowsZip;
        WindowsFolder = windowsFolder;
    }

    public string WindowsZip { get; }

    /// <summary>The package extracted, laid out as the Functions host sees it (the app, host.json and functions.metadata at its root).</summary>
    public string WindowsFolder { get; }

    public static Task<PublishedPackages> GetAsync() => Shared.Value;

    private static async Task<PublishedPackages> PublishAsync()
    {
        var work = Directory.CreateTempSubdirectory("docserver-packages").FullName;
        var windows = Path.Combine(work, "win.zip");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { Path.Combine(AzuriteServer.RepositoryRoot(), "scripts", "publish.sh"), windows },
        };
        using (var publish = Process.Start(start)!)
        {
            var errors = publish.StandardError.ReadToEndAsync();
            var output = publish.StandardOutput.ReadToEndAsync();
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"publish.sh failed: {await output}\n{await errors}");
            }
        }

        var folder = Path.Combine(work, "win");
        ZipFile.ExtractToDirectory(windows, folder);
        return new PublishedPackages(windows, folder);
    }
}

using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using DocServer.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DocServer.Infra.Tests;

/// <summary>The deployment zips the publish script builds, and the function.json files in them, against the app.</summary>
public sealed partial class PackageTests
{
    [Fact]
    public async Task WindowsPackage_HostJsonNamesAWindowsHandlerThatIsInTheZip()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        var handler = HandlerPath(zip);
        var executable = zip.GetEntry(handler);

        Assert.Equal("handler/DocServer.Functions.exe", handler);
        Assert.NotNull(executable);
        using var stream = executable.Open();
        var header = new byte[2];
        await stream.ReadExactlyAsync(header);
        Assert.Equal("MZ"u8.ToArray(), header);
        AssertPackageContents(zip);
    }

    [Fact]
    public async Task LinuxPackage_HandlerIsExecutableAndWritesTheSameFunctionJsonFiles()
    {
        var packages = await PublishedPackages.GetAsync();
        using var zip = ZipFile.OpenRead(packages.LinuxZip);
        var handler = zip.GetEntry(HandlerPath(zip))!;
        Assert.Equal("handler/DocServer.Functions", handler.FullName);
        Assert.True((handler.ExternalAttributes >> 16 & 0b001_001_001) != 0, "the handler is not executable");
        AssertPackageContents(zip);

        var written = Directory.CreateTempSubdirectory("docserver-functions").FullName;
        using var run = Process.Start(new ProcessStartInfo(Path.Combine(packages.LinuxFolder, "handler", "DocServer.Functions")) { ArgumentList = { "write-functions", written } })!;
        await run.WaitForExitAsync();

        Assert.Equal(0, run.ExitCode);
        foreach (var function in FunctionCatalog.All)
        {
            var packaged = await new StreamReader(zip.GetEntry($"{function.Name}/function.json")!.Open()).ReadToEndAsync();
            Assert.Equal(packaged, await File.ReadAllTextAsync(Path.Combine(written, function.Name, "function.json")));
        }
    }

    [Fact]
    public async Task EveryFunctionJson_HasATriggerTheAppServes()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        var functions = FunctionJsonFiles(zip);
        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), functions.Keys.Order());
        var routes = await AppRoutesAsync();

        foreach (var (name, json) in functions)
        {
            var trigger = json.RootElement.GetProperty("bindings")[0];
            switch (trigger.GetProperty("type").GetString())
            {
                case "httpTrigger" when trigger.GetProperty("route").GetString() == "{*asset}":
                    // The page: files from wwwroot, anonymous; everything else needs the function key.
                    Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
                    Assert.NotNull(zip.GetEntry("handler/wwwroot/index.html"));
                    Assert.NotNull(zip.GetEntry("handler/wwwroot/app.js"));
                    break;
                case "httpTrigger":
                    // routePrefix is empty: the route is the app's own path.
                    var route = trigger.GetProperty("route").GetString()!.Replace("/{*rest}", string.Empty, StringComparison.Ordinal);
                    Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
                    Assert.Contains(routes, r => r == route || r.StartsWith(route + "/", StringComparison.Ordinal));
                    break;
                case "timerTrigger":
                    Assert.True(FunctionInvoker.Exists(name), $"{name}: no invocation handler");
                    break;
                default:
                    Assert.True(FunctionInvoker.Exists(name), $"{name}: no invocation handler");
                    Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
                    break;
            }
        }
    }

    /// <summary>
    /// The host resolves %name% only for flat app-setting names; each one must be set by the Bicep, listed in the
    /// sample, and be what the app itself reads for the same thing.
    /// </summary>
    [Fact]
    public async Task EveryPercentName_IsFlatSetByTheBicepListedInTheSampleAndReadByTheAppToTheSameValue()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        var names = FunctionJsonFiles(zip).Values.SelectMany(json => PercentName().Matches(json.RootElement.GetRawText()).Select(m => m.Groups["name"].Value)).Distinct().ToList();
        var bicep = (await CompiledInfra.GetAsync()).AppSettings().ToDictionary(StringComparer.Ordinal);
        var sample = SettingsContractTests.SampleValues();
        var options = await AppOptionsAsync(sample);

        Assert.Equal(4, names.Count);
        foreach (var name in names)
        {
            Assert.Matches("^[A-Za-z0-9_]+$", name);
            Assert.DoesNotContain("__", name, StringComparison.Ordinal);
            Assert.True(bicep.ContainsKey(name), $"the Bicep does not set {name}");
            Assert.True(sample.ContainsKey(name), $"local.settings.sample.json does not list {name}");
            var property = FlatSettings.ByOption.Single(p => p.Value == name).Key;
            Assert.Equal(sample[name], typeof(DocServerOptions).GetProperty(property)!.GetValue(options));
        }
    }

    [Fact]
    public void RepositoryHostJson_FunctionTimeoutCoversTheLongestBackgroundStep()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "host.json")));
        var timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var defaults = new DocServerOptions();
        var deployed = new DocServerOptions
        {
            BackgroundWaitBudget = TimeSpan.Parse(SettingsContractTests.SampleValues()["DocServer__BackgroundWaitBudget"], System.Globalization.CultureInfo.InvariantCulture),
            SummaryTimeout = TimeSpan.Parse(SettingsContractTests.SampleValues()["DocServer__SummaryTimeout"], System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.True(timeout >= FunctionTimeoutRule.Minimum(defaults), $"functionTimeout {timeout} < {FunctionTimeoutRule.Minimum(defaults)}");
        Assert.True(timeout >= FunctionTimeoutRule.Minimum(deployed), $"functionTimeout {timeout} < {FunctionTimeoutRule.Minimum(deployed)}");
    }

    private static void AssertPackageContents(ZipArchive zip)
    {
        using var hostJson = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        // Proxying (YARP in the host) streams the response, so a streamed ask reaches the caller as it is written.
        Assert.True(hostJson.RootElement.GetProperty("customHandler").GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.Equal("handler", hostJson.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("workingDirectory").GetString());
        Assert.Equal("", hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        foreach (var prompt in new[] { "evidence_extract.txt", "synthesis.txt", "document_summary.txt" })
        {
            Assert.NotNull(zip.GetEntry($"handler/prompts/{prompt}"));
        }

        Assert.NotNull(zip.GetEntry("handler/appsettings.json"));
        // One host.json, where the host reads it: a second copy under handler/ would only mislead.
        Assert.Null(zip.GetEntry("handler/host.json"));
        Assert.Equal(FunctionCatalog.All.Count, FunctionJsonFiles(zip).Count);
    }

    private static string HandlerPath(ZipArchive zip)
    {
        using var hostJson = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        return hostJson.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
    }

    private static Dictionary<string, JsonDocument> FunctionJsonFiles(ZipArchive zip) =>
        zip.Entries
            .Where(e => e.FullName.EndsWith("/function.json", StringComparison.Ordinal) && !e.FullName.StartsWith("handler/", StringComparison.Ordinal))
            .ToDictionary(e => e.FullName.Split('/')[0], e => JsonDocument.Parse(e.Open()), StringComparer.Ordinal);

    /// <summary>The options the app binds from these app settings (as environment-style names).</summary>
    private static async Task<DocServerOptions> AppOptionsAsync(Dictionary<string, string> settings)
    {
        var azurite = await AzuriteServer.GetAsync();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (name, value) in settings)
            {
                b.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
            }

            b.UseSetting("AzureWebJobsStorage", azurite.ConnectionString);
            b.UseSetting("DocServer:Standalone", "false");
            b.UseSetting("DocServer:PromptsPath", Path.Combine(AzuriteServer.RepositoryRoot(), "prompts"));
        });
        return factory.Services.GetRequiredService<IOptions<DocServerOptions>>().Value;
    }

    /// <summary>The app's HTTP routes, read from the running app's endpoint table.</summary>
    private static async Task<List<string>> AppRoutesAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("AzureWebJobsStorage", azurite.ConnectionString);
            b.UseSetting("DocServer:StoragePrefix", "r" + Guid.NewGuid().ToString("N")[..12]);
            b.UseSetting("DocServer:Standalone", "false");
            b.UseSetting("DocServer:PromptsPath", Path.Combine(AzuriteServer.RepositoryRoot(), "prompts"));
        });
        _ = factory.Server;
        return [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText!.TrimStart('/'))];
    }

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex PercentName();
}

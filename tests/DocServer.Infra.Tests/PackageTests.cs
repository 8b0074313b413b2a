using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using DocServer.Functions.Hosting;
using DocServer.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DocServer.Infra.Tests;

/// <summary>The deployment zip the publish script builds, and the function.json files in it, against the app.</summary>
public sealed class PackageTests : IAsyncLifetime
{
    private string _zip = string.Empty;

    public async Task InitializeAsync()
    {
        _zip = Path.Combine(Directory.CreateTempSubdirectory("docserver-package-test").FullName, "package.zip");
        var publish = Process.Start(new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(AzuriteServer.RepositoryRoot(), "scripts", "publish.sh"), _zip },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.StandardOutput.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, $"publish.sh failed: {await errors}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_zip)!, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void Package_HasHostJsonTheExecutableHandlerAndItsPrompts()
    {
        using var zip = ZipFile.OpenRead(_zip);
        using var hostJson = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        var handler = hostJson.RootElement.GetProperty("customHandler").GetProperty("description");
        var executable = zip.GetEntry(handler.GetProperty("defaultExecutablePath").GetString()!);

        Assert.NotNull(executable);
        Assert.True((executable.ExternalAttributes >> 16 & 0b001_001_001) != 0, "the handler is not executable");
        Assert.True(hostJson.RootElement.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("api", hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        foreach (var prompt in new[] { "evidence_extract.txt", "synthesis.txt", "document_summary.txt" })
        {
            Assert.NotNull(zip.GetEntry($"handler/prompts/{prompt}"));
        }

        Assert.NotNull(zip.GetEntry("handler/appsettings.json"));
    }

    [Fact]
    public async Task EveryFunctionJson_HasATriggerTheAppServes()
    {
        using var zip = ZipFile.OpenRead(_zip);
        var functions = zip.Entries.Where(e => e.FullName.EndsWith("/function.json", StringComparison.Ordinal) && !e.FullName.StartsWith("handler/", StringComparison.Ordinal)).ToList();
        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), functions.Select(f => f.FullName.Split('/')[0]).Order());
        var routes = await AppRoutesAsync();

        foreach (var entry in functions)
        {
            using var json = JsonDocument.Parse(entry.Open());
            var trigger = json.RootElement.GetProperty("bindings")[0];
            var name = entry.FullName.Split('/')[0];
            switch (trigger.GetProperty("type").GetString())
            {
                case "httpTrigger":
                    var route = "api/" + trigger.GetProperty("route").GetString()!.Replace("/{*rest}", string.Empty, StringComparison.Ordinal);
                    Assert.Contains(routes, r => r == route || r.StartsWith(route + "/", StringComparison.Ordinal));
                    break;
                case "timerTrigger":
                    Assert.True(FunctionInvoker.Exists(name), $"{name}: no invocation handler");
                    Assert.Matches(@"^%DocServer__\w+Schedule%$", trigger.GetProperty("schedule").GetString());
                    break;
                default:
                    Assert.True(FunctionInvoker.Exists(name), $"{name}: no invocation handler");
                    Assert.Equal("%DocServer__ExtractQueue%", trigger.GetProperty("queueName").GetString());
                    Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
                    break;
            }
        }
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
}

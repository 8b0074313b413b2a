using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// The real app, started with exactly the settings a user or a deployment gives it: the values of
/// local.settings.sample.json, and the app settings of the compiled Bicep (the app from the published
/// package, laid out as the Functions host runs it). Only storage (Azurite) and the model URL (the
/// scripted MLX server) are swapped, and values only Azure can compute get placeholders of their shape.
/// </summary>
public sealed class DeployedSettingsTests
{
    /// <summary>Placeholders for what only Azure computes, by setting; an Azure-only value not listed here fails the test.</summary>
    private static readonly Dictionary<string, string> AzureOnly = new(StringComparer.Ordinal)
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
        ["WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"] = "DefaultEndpointsProtocol=https;AccountName=docserverabc;AccountKey=AAAA;EndpointSuffix=core.windows.net",
    };

    [Fact]
    public async Task SampleSettings_StartTheAppAndItAnswersAnAsk()
    {
        await using var mlx = await ScriptedMlxServer.StartAsync();
        var settings = SettingsContractTests.SampleValues();
        settings["AzureWebJobsStorage"] = (await AzuriteServer.GetAsync()).ConnectionString;
        settings["DocServer__Endpoints__macmini__Url"] = mlx.BaseUrl.ToString();
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        using var app = AppProcess.Start(settings, url);

        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(60));

        await AssertAnswersAnAskAsync(url, mlx);
    }

    [Fact]
    public async Task CompiledBicepSettings_StartThePublishedPackagesAppAndItAnswersAnAsk()
    {
        await using var mlx = await ScriptedMlxServer.StartAsync();
        var packages = await PublishedPackages.GetAsync();
        var settings = await DeployedSettingsAsync(mlx.BaseUrl);
        // Without a Functions host it runs standalone, from the package's own files (host.json, prompts, appsettings.json).
        using var app = AppProcess.StartPublished(packages.WindowsFolder, settings, $"http://127.0.0.1:{LoopbackPorts.Free()}");

        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(60));

        await AssertAnswersAnAskAsync(app.Url!, mlx);
    }

    [Fact]
    public async Task PackageHostJsonWithAFunctionTimeoutBelowTheBudgets_StopsTheAppAtStartUp()
    {
        var packages = await PublishedPackages.GetAsync();
        var folder = Directory.CreateTempSubdirectory("docserver-short-timeout").FullName;
        ZipFile.ExtractToDirectory(packages.WindowsZip, folder);
        var hostJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")))!;
        hostJson["functionTimeout"] = "00:05:00";
        await File.WriteAllTextAsync(Path.Combine(folder, "host.json"), hostJson.ToJsonString());
        var settings = await DeployedSettingsAsync(ScriptedMlxServer.RefusedUrl());

        using var app = AppProcess.StartPublished(folder, settings, $"http://127.0.0.1:{LoopbackPorts.Free()}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains("host.json functionTimeout 00:05:00 is shorter than", app.Output, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The compiled Bicep's app settings, with Azurite for storage, the given model URL, and placeholders for Azure-only values.</summary>
    private static async Task<Dictionary<string, string>> DeployedSettingsAsync(Uri mlxUrl)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in (await CompiledInfra.GetAsync()).AppSettings())
        {
            if (CompiledInfra.IsAzureOnly(value))
            {
                Assert.True(AzureOnly.TryGetValue(name, out var placeholder), $"{name} is computed in Azure ({value}); give it a placeholder of its shape");
                settings[name] = placeholder;
            }
            else
            {
                settings[name] = value;
            }
        }

        // Storage aside: the managed identity cannot be had here, so Azurite by connection string.
        Assert.True(settings.Remove("AzureWebJobsStorage__accountName"));
        settings["AzureWebJobsStorage"] = (await AzuriteServer.GetAsync()).ConnectionString;
        foreach (var url in settings.Keys.Where(k => k.StartsWith("DocServer__Endpoints__", StringComparison.Ordinal) && k.EndsWith("__Url", StringComparison.Ordinal)).ToList())
        {
            settings[url] = mlxUrl.ToString();
        }

        return settings;
    }

    private static async Task AssertAnswersAnAskAsync(string url, ScriptedMlxServer mlx)
    {
        mlx.ReplyWith(prompt => MlxReply.Text(prompt.Contains("Candidate passages", StringComparison.Ordinal)
            ? "{\"items\": [{\"n\": 1, \"span\": \"Either party may end this tenancy by giving two months notice in writing.\", \"relevance\": 0.9}]}"
            : "Two months, in writing [1]."));
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        var id = "deploy-" + Guid.NewGuid().ToString("N")[..8];
        var ingest = await http.PostAsJsonAsync("/api/documents", new { id, title = "Tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        Assert.Equal(HttpStatusCode.Created, ingest.StatusCode);

        JsonDocument? answer = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var response = await http.PostAsJsonAsync("/api/ask", new { question = "What is the notice period for ending the tenancy?" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (answer.RootElement.GetProperty("found").GetBoolean() && mlx.Requests.Any(r => r.Prompt.Contains("Candidate passages", StringComparison.Ordinal)))
            {
                break;
            }

            // The index catches up within IndexRefreshInterval. On a loaded machine a just-started app's first ask
            // may also fall back (its evidence call waited past its budget behind the extraction's): ask again.
            await Task.Delay(200);
        }

        Assert.True(answer!.RootElement.GetProperty("found").GetBoolean(), answer.RootElement.GetRawText());
        Assert.True(mlx.Requests.Any(r => r.Prompt.Contains("Candidate passages", StringComparison.Ordinal)), "the evidence call never reached the model: " + answer.RootElement.GetProperty("skipReasons").GetRawText() + " " + answer.RootElement.GetProperty("timings").GetRawText());
        Assert.Equal(0, mlx.Violations);
        await http.DeleteAsync($"/api/documents/{id}");
    }
}

using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using DocServer.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DocServer.Infra.Tests;

/// <summary>
/// The deployment zip the publish script builds, read as the Functions host reads it: functions.metadata (written
/// by the Worker SDK from the [Function] methods), extensions.json, worker.config.json and host.json.
/// </summary>
public sealed partial class PackageTests
{
    [Fact]
    public async Task FunctionsMetadata_ListsEveryFunctionOfTheCatalog_AndNothingElse_WithItsTrigger()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        var metadata = Triggers(zip);

        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), metadata.Keys.Order());
        foreach (var function in FunctionCatalog.All)
        {
            var trigger = metadata[function.Name];
            Assert.Equal(function.Trigger, trigger.GetProperty("type").GetString());
            switch (function.Trigger)
            {
                case FunctionDefinition.HttpTrigger:
                    // routePrefix is empty (host.json): the route is the path callers use.
                    Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
                    Assert.Equal(function.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
                    Assert.Equal(function.AuthLevel, trigger.GetProperty("authLevel").GetString()!.ToLowerInvariant());
                    Assert.Equal(function.Name == FunctionNames.Page ? "anonymous" : "function", function.AuthLevel);
                    break;
                case FunctionDefinition.TimerTrigger:
                    Assert.Equal(function.Schedule, trigger.GetProperty("schedule").GetString());
                    Assert.Matches(PercentName(), function.Schedule!);
                    break;
                case FunctionDefinition.EntityTrigger or FunctionDefinition.OrchestrationTrigger or FunctionDefinition.ActivityTrigger:
                    // The Durable extension names entities, orchestrations and activities after their functions.
                    break;
                default:
                    Assert.Fail($"{function.Name} has a trigger the app does not run: {function.Trigger}");
                    break;
            }
        }

        Assert.Equal(15, metadata.Values.Count(t => t.GetProperty("type").GetString() == "httpTrigger"));
        Assert.Equal(3, metadata.Values.Count(t => t.GetProperty("type").GetString() == "timerTrigger"));
        Assert.Equal(0, metadata.Values.Count(t => t.GetProperty("type").GetString() == "queueTrigger"));

        // The gate entity, the extraction, digest and ask orchestrations and their activities, under the names the
        // standalone task hub worker registers the same classes by.
        Assert.Equal(Durable.Gates.GateEntity.Name, Assert.Single(metadata, f => f.Value.GetProperty("type").GetString() == "entityTrigger").Key.ToLowerInvariant());
        Assert.Equal([FunctionNames.AskQuestion, FunctionNames.Digest, FunctionNames.ExtractDocument, FunctionNames.GateGrantNotifier], metadata.Where(f => f.Value.GetProperty("type").GetString() == "orchestrationTrigger").Select(f => f.Key).Order());
        Assert.Equal([FunctionNames.AnswerQuestion, FunctionNames.PlanDigest, FunctionNames.Summarise, FunctionNames.WriteDigest], metadata.Where(f => f.Value.GetProperty("type").GetString() == "activityTrigger").Select(f => f.Key).Order());
    }

    [Fact]
    public async Task Package_BringsItsExtensions_AndTellsTheHostToStartTheWorkerWithDotnet()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);

        using var extensions = JsonDocument.Parse(zip.GetEntry("extensions.json")!.Open());
        foreach (var name in new[] { "DurableTask" })
        {
            var extension = Assert.Single(extensions.RootElement.GetProperty("extensions").EnumerateArray(), e => e.GetProperty("name").GetString() == name);
            var hint = extension.GetProperty("hintPath").GetString()!.Replace("./", string.Empty, StringComparison.Ordinal);
            Assert.NotNull(zip.GetEntry(hint));
        }

        using var worker = JsonDocument.Parse(zip.GetEntry("worker.config.json")!.Open());
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("dotnet", description.GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("DocServer.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        Assert.NotNull(zip.GetEntry("DocServer.Functions.dll"));
    }

    [Fact]
    public async Task Package_HostJsonIsAnIsolatedAppsWithTheAppsFilesBesideIt()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        using var host = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        var root = host.RootElement;

        Assert.False(root.TryGetProperty("customHandler", out _), "a custom handler section would make the host start the app as one");
        Assert.False(root.TryGetProperty("extensionBundle", out _), "an isolated app brings its extensions (extensions.json); a bundle is not used");
        Assert.Equal("OpenTelemetry", root.GetProperty("telemetryMode").GetString());
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.False(root.GetProperty("extensions").TryGetProperty("queues", out _), "no queue triggers: background work runs on the task hub");
        foreach (var file in new[] { "prompts/evidence_extract.txt", "prompts/synthesis.txt", "prompts/document_summary.txt", "appsettings.json", "openapi.json", "wwwroot/index.html", "wwwroot/app.js", "functions.metadata" })
        {
            Assert.NotNull(zip.GetEntry(file));
        }
    }

    /// <summary>
    /// The host resolves %name% only for flat app-setting names (in triggers and in host.json's task hub name); each one
    /// must be set by the Bicep, listed in the sample, and be what the app itself reads for the same thing.
    /// </summary>
    [Fact]
    public async Task EveryPercentName_IsFlatSetByTheBicepListedInTheSampleAndReadByTheAppToTheSameValue()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        using var host = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        var names = Triggers(zip).Values.Select(json => json.GetRawText()).Append(host.RootElement.GetRawText())
            .SelectMany(json => PercentName().Matches(json).Select(m => m.Groups["name"].Value)).Distinct().ToList();
        var bicep = (await CompiledInfra.GetAsync()).AppSettings().ToDictionary(StringComparer.Ordinal);
        var sample = SettingsContractTests.SampleValues();
        var options = await AppOptionsAsync(sample);

        Assert.Equal(["DocServerDigestSchedule", "DocServerExtractionCatchUpSchedule", "DocServerGateSweepSchedule", "DocServerTaskHub"], names.Order());
        foreach (var name in names)
        {
            Assert.Matches("^[A-Za-z0-9_]+$", name);
            Assert.DoesNotContain("__", name, StringComparison.Ordinal);
            Assert.True(bicep.ContainsKey(name), $"the Bicep does not set {name}");
            Assert.True(sample.ContainsKey(name), $"local.settings.sample.json does not list {name}");
            Assert.Equal(sample[name], FlatSettings.Resolve($"%{name}%", options));
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

    /// <summary>Each function's trigger binding in functions.metadata, by function name.</summary>
    private static Dictionary<string, JsonElement> Triggers(ZipArchive zip)
    {
        using var metadata = JsonDocument.Parse(zip.GetEntry("functions.metadata")!.Open());
        return metadata.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).Clone(),
            StringComparer.Ordinal);
    }

    /// <summary>The options the app binds from these app settings (as environment-style names).</summary>
    /// <summary>
    /// Standalone, the task hub worker runs with what host.json's durableTask section tells the Functions host: one
    /// partition, the polling cap and the visibility timeouts the gate's lease was chosen with (docs/design.md).
    /// </summary>
    [Fact]
    public async Task HostJsonDurableTask_IsWhatTheStandaloneTaskHubRunsWith()
    {
        using var zip = ZipFile.OpenRead((await PublishedPackages.GetAsync()).WindowsZip);
        using var host = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var provider = durable.GetProperty("storageProvider");
        var sample = SettingsContractTests.SampleValues();

        var hub = (await AppServiceAsync<Durable.TaskHub.TaskHubOptions>(sample))!;

        static TimeSpan Time(JsonElement e, string name) => TimeSpan.Parse(e.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("%DocServerTaskHub%", durable.GetProperty("hubName").GetString());
        Assert.Equal(sample["DocServerTaskHub"], hub.HubName);
        Assert.Equal(provider.GetProperty("partitionCount").GetInt32(), hub.PartitionCount);
        Assert.False(durable.GetProperty("useAppLease").GetBoolean());
        Assert.Equal(durable.GetProperty("useAppLease").GetBoolean(), hub.UseAppLease);
        Assert.Equal(1, hub.PartitionCount);
        Assert.Equal(Time(provider, "maxQueuePollingInterval"), hub.MaxQueuePollingInterval);
        Assert.Equal(Time(provider, "workItemQueueVisibilityTimeout"), hub.WorkItemVisibilityTimeout);
        Assert.Equal(Time(provider, "controlQueueVisibilityTimeout"), hub.ControlQueueVisibilityTimeout);
        Assert.Equal(durable.GetProperty("maxConcurrentActivityFunctions").GetInt32(), hub.MaxConcurrentActivities);
        Assert.Equal(durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32(), hub.MaxConcurrentOrchestrations);
        Assert.Equal(durable.GetProperty("maxConcurrentEntityFunctions").GetInt32(), hub.MaxConcurrentEntities);
    }

    private static async Task<DocServerOptions> AppOptionsAsync(Dictionary<string, string> settings) =>
        (await AppServiceAsync<IOptions<DocServerOptions>>(settings)).Value;

    private static async Task<T> AppServiceAsync<T>(Dictionary<string, string> settings)
        where T : notnull
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
        return factory.Services.GetRequiredService<T>();
    }

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex PercentName();
}

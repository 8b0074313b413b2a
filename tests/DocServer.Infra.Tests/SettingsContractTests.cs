using System.Text.Json;
using DocServer.Functions.Configuration;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// Every setting the app reads is set by the compiled Bicep (for every MLX host) and listed in
/// local.settings.sample.json, so a deployment or a new developer never runs on a forgotten default.
/// </summary>
public sealed class SettingsContractTests
{
    /// <summary>What the app reads, as app-setting names; endpoint settings with {host} for the endpoint's name.</summary>
    public static TheoryData<string> AppSettingNames()
    {
        var data = new TheoryData<string>();
        // Settable properties only: the rest are read from them (the pools from their comma-separated lists).
        foreach (var property in typeof(DocServerOptions).GetProperties().Where(p => p.CanWrite && p.Name != nameof(DocServerOptions.Endpoints)))
        {
            data.Add(FlatSettings.ByOption.TryGetValue(property.Name, out var flat) ? flat : $"DocServer__{property.Name}");
        }

        foreach (var property in typeof(EndpointOptions).GetProperties())
        {
            data.Add($"DocServer__Endpoints__{{host}}__{property.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AppSettingNames))]
    public async Task Setting_IsSetByTheCompiledBicepForEveryHost(string setting)
    {
        var names = (await CompiledInfra.GetAsync()).AppSettings().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

        foreach (var host in ParameterHosts())
        {
            Assert.Contains(setting.Replace("{host}", host, StringComparison.Ordinal), names);
        }
    }

    [Theory]
    [MemberData(nameof(AppSettingNames))]
    public void Setting_IsListedInLocalSettingsSample(string setting)
    {
        Assert.Contains(setting.Replace("{host}", "macmini", StringComparison.Ordinal), SampleValues().Keys);
    }

    [Fact]
    public async Task Storage_IsAConnectionStringLocallyAndTheIdentityInAzure()
    {
        var settings = (await CompiledInfra.GetAsync()).AppSettings().ToDictionary(StringComparer.Ordinal);

        Assert.Equal("UseDevelopmentStorage=true", SampleValues()["AzureWebJobsStorage"]);
        Assert.True(settings.ContainsKey("AzureWebJobsStorage__accountName"));
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"));
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("dotnet-isolated", SampleValues()["FUNCTIONS_WORKER_RUNTIME"]);
    }

    [Fact]
    public async Task CompiledSettings_HaveUniqueNames()
    {
        var names = (await CompiledInfra.GetAsync()).AppSettings().Select(s => s.Key).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void ParametersFile_NamesOnlyParametersMainBicepDeclares()
    {
        var declared = File.ReadAllLines(Path.Combine(AzuriteServer.RepositoryRoot(), "infra", "main.bicep"))
            .Where(l => l.StartsWith("param ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1])
            .ToHashSet(StringComparer.Ordinal);
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "infra", "main.parameters.json")));

        var given = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.NotEmpty(given);
        Assert.All(given, name => Assert.Contains(name, declared));
    }

    internal static Dictionary<string, string> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
    }

    internal static IReadOnlyList<string> ParameterHosts()
    {
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "infra", "main.parameters.json")));
        return [.. parameters.RootElement.GetProperty("parameters").GetProperty("hosts").GetProperty("value").EnumerateArray().Select(h => h.GetProperty("name").GetString()!)];
    }
}

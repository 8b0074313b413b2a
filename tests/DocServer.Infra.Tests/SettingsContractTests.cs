using System.Text.Json;
using System.Text.RegularExpressions;
using DocServer.Functions.Configuration;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// Every setting the app reads is set by the Bicep (for every MLX host) and listed in
/// local.settings.sample.json, so a deployment or a new developer never runs on a forgotten default.
/// </summary>
public sealed partial class SettingsContractTests
{
    private static readonly string Root = AzuriteServer.RepositoryRoot();

    /// <summary>What the app reads, as app-setting names; endpoint settings with {host} for the endpoint's name.</summary>
    public static TheoryData<string> AppSettings()
    {
        var data = new TheoryData<string>();
        foreach (var property in typeof(DocServerOptions).GetProperties().Where(p => p.Name != nameof(DocServerOptions.Endpoints)))
        {
            data.Add($"DocServer__{property.Name}");
        }

        foreach (var property in typeof(EndpointOptions).GetProperties())
        {
            data.Add($"DocServer__Endpoints__{{host}}__{property.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AppSettings))]
    public void Setting_IsSetByTheBicepForEveryHost(string setting)
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));
        var names = SettingName().Matches(bicep).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(setting.Replace("{host}", "${host.name}", StringComparison.Ordinal), names);
    }

    [Theory]
    [MemberData(nameof(AppSettings))]
    public void Setting_IsListedInLocalSettingsSample(string setting)
    {
        Assert.Contains(setting.Replace("{host}", "macmini", StringComparison.Ordinal), SampleValues().Keys);
    }

    [Fact]
    public void Storage_IsConfiguredWithAKeyLocallyAndWithTheIdentityInAzure()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "modules", "functionapp.bicep"));

        Assert.Equal("UseDevelopmentStorage=true", SampleValues()["AzureWebJobsStorage"]);
        Assert.Contains("name: 'AzureWebJobsStorage__accountName'", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("name: 'AzureWebJobsStorage'", bicep, StringComparison.Ordinal);
        Assert.Contains("name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom'", bicep, StringComparison.Ordinal);
        Assert.Equal("custom", SampleValues()["FUNCTIONS_WORKER_RUNTIME"]);
    }

    [Fact]
    public void ParametersFile_NamesOnlyParametersMainBicepDeclares()
    {
        var main = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
        var declared = ParamName().Matches(main).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "infra", "main.parameters.json")));

        var given = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.NotEmpty(given);
        Assert.All(given, name => Assert.Contains(name, declared));
        Assert.All(parameters.RootElement.GetProperty("parameters").GetProperty("hosts").GetProperty("value").EnumerateArray(), host =>
        {
            foreach (var field in new[] { "name", "hostName", "port", "model" })
            {
                Assert.True(host.TryGetProperty(field, out _), $"a host in main.parameters.json lacks '{field}'");
            }
        });
    }

    private static Dictionary<string, string> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"name: '(?<name>[A-Za-z_]+(?:__(?:\$\{host\.name\}|[A-Za-z]+))*)'")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"^param (?<name>\w+) ", RegexOptions.Multiline)]
    private static partial Regex ParamName();
}

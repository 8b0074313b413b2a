using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocServer.Infra.Tests;

/// <summary>infra/main.bicep compiles and lints clean, and deploys what the tunnel and the hardening need.</summary>
public sealed partial class BicepTests
{
    [Fact]
    public async Task Build_ReportsNoErrorOrWarning()
    {
        var infra = await CompiledInfra.GetAsync();

        Assert.DoesNotMatch(Diagnostic(), infra.BuildOutput);
    }

    [Fact]
    public async Task Lint_ReportsNoErrorOrWarning()
    {
        var infra = await CompiledInfra.GetAsync();

        Assert.DoesNotMatch(Diagnostic(), infra.LintOutput);
        Assert.DoesNotContain("exit ", infra.LintOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_IsWindowsElasticPremium_BecauseHybridConnectionsNeedWindows()
    {
        var infra = await CompiledInfra.GetAsync();
        var plan = infra.Resources("Microsoft.Web/serverfarms").Single();
        var site = infra.Resources("Microsoft.Web/sites").Single();

        Assert.Equal("elastic", (string?)plan["kind"]);
        Assert.Equal("ElasticPremium", (string?)plan["sku"]!["tier"]);
        Assert.False((bool)plan["properties"]!["reserved"]!);
        Assert.Equal("functionapp", (string?)site["kind"]);
        Assert.Null(site["properties"]!["siteConfig"]!["linuxFxVersion"]);
    }

    [Fact]
    public async Task Site_RunsTheIsolatedWorkerOnDotnet10_WithNoRuntimeOfItsOwn()
    {
        var infra = await CompiledInfra.GetAsync();
        var siteConfig = infra.Resources("Microsoft.Web/sites").Single()["properties"]!["siteConfig"]!;
        var settings = infra.AppSettings().ToDictionary(StringComparer.Ordinal);

        Assert.Equal("v10.0", (string?)siteConfig["netFrameworkVersion"]);
        Assert.False((bool)siteConfig["use32BitWorkerProcess"]!);
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("~4", settings["FUNCTIONS_EXTENSION_VERSION"]);
    }

    [Fact]
    public async Task Site_HttpsOnlyTls12NoFtpsAndNoBasicAuthPublishing()
    {
        var infra = await CompiledInfra.GetAsync();
        var site = infra.Resources("Microsoft.Web/sites").Single()["properties"]!;
        var policies = infra.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.True((bool)site["httpsOnly"]!);
        Assert.Equal("1.2", (string?)site["siteConfig"]!["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)site["siteConfig"]!["ftpsState"]);
        Assert.Equal(["ftp", "scm"], policies.Select(p => ((string)p["name"]!).Split('/')[^1]).Order());
        Assert.All(policies, p => Assert.False((bool)p["properties"]!["allow"]!));
    }

    [Fact]
    public async Task EveryHost_HasAHybridConnectionToItsHostAndPort()
    {
        var infra = await CompiledInfra.GetAsync();
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(DocServer.Testing.AzuriteServer.RepositoryRoot(), "infra", "main.parameters.json")));
        var hosts = parameters.RootElement.GetProperty("parameters").GetProperty("hosts").GetProperty("value").EnumerateArray().ToList();
        var relays = infra.Resources("Microsoft.Web/sites/hybridConnectionNamespaces/relays").Select(r => r["properties"]!).ToList();

        Assert.Equal(hosts.Count, relays.Count);
        foreach (var host in hosts)
        {
            var relay = Assert.Single(relays, r => (string?)r["relayName"] == host.GetProperty("name").GetString());
            Assert.Equal(host.GetProperty("hostName").GetString(), (string?)relay["hostname"]);
            Assert.Equal(host.GetProperty("port").GetInt32(), (int)relay["port"]!);
        }
    }

    [GeneratedRegex(@": (Error|Warning) ")]
    private static partial Regex Diagnostic();
}

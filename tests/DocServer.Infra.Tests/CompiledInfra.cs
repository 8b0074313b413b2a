using System.Text.Json;
using System.Text.Json.Nodes;
using DocServer.Testing;

namespace DocServer.Infra.Tests;

/// <summary>
/// infra/ as Azure would get it, made once per test run: <c>bicep build</c> and <c>bicep lint</c> output
/// (every diagnostic), the compiled ARM JSON, and <c>bicep snapshot</c> of it with the repository's
/// main.parameters.json: the resources the template deploys, with every expression evaluated that can be
/// evaluated before the deployment. What only Azure can compute (listKeys, another resource's
/// properties) stays an expression "[...]", which <see cref="IsAzureOnly"/> tells apart.
/// </summary>
public sealed class CompiledInfra
{
    private static readonly Lazy<Task<CompiledInfra>> Shared = new(CompileAsync);

    private CompiledInfra(string buildOutput, string lintOutput, JsonNode template, JsonNode snapshot)
    {
        BuildOutput = buildOutput;
        LintOutput = lintOutput;
        Template = template;
        Snapshot = snapshot;
    }

    public string BuildOutput { get; }

    public string LintOutput { get; }

    /// <summary>The compiled ARM template (bicep build).</summary>
    public JsonNode Template { get; }

    /// <summary>The predicted resources (bicep snapshot).</summary>
    public JsonNode Snapshot { get; }

    public static Task<CompiledInfra> GetAsync() => Shared.Value;

    public IEnumerable<JsonNode> Resources(string type) =>
        Snapshot["predictedResources"]!.AsArray().Where(r => (string?)r!["type"] == type).Select(r => r!);

    /// <summary>The function app's app settings as the deployment would set them, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AppSettings() =>
        [.. Resources("Microsoft.Web/sites").Single()["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .Select(s => KeyValuePair.Create((string)s!["name"]!, (string)s["value"]!))];

    public static bool IsAzureOnly(string value) => value.StartsWith('[') && value.EndsWith(']');

    private static async Task<CompiledInfra> CompileAsync()
    {
        // A copy of infra/, so the parameters file and the outputs never land in the repository.
        var work = Directory.CreateTempSubdirectory("docserver-infra").FullName;
        Copy(Path.Combine(AzuriteServer.RepositoryRoot(), "infra"), work);
        using (var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "main.parameters.json"))))
        {
            var lines = parameters.RootElement.GetProperty("parameters").EnumerateObject()
                .Select(p => $"param {p.Name} = loadJsonContent('main.parameters.json').parameters.{p.Name}.value");
            File.WriteAllLines(Path.Combine(work, "test.bicepparam"), ["using 'main.bicep'", .. lines]);
        }

        var build = await BicepCli.RunAsync(work, "build", "main.bicep", "--outfile", "main.json");
        var lint = await BicepCli.RunAsync(work, "lint", "main.bicep");
        var snapshot = await BicepCli.RunAsync(
            work, "snapshot", "test.bicepparam", "--mode", "overwrite", "--subscription-id", Guid.Empty.ToString(), "--tenant-id", Guid.Empty.ToString(),
            "--resource-group", "docserver-rg", "--location", "westeurope");
        if (build.ExitCode != 0 || snapshot.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build:\n{build.Output}\nbicep snapshot:\n{snapshot.Output}");
        }

        return new CompiledInfra(
            build.Output,
            lint.ExitCode == 0 ? lint.Output : $"exit {lint.ExitCode}\n{lint.Output}",
            JsonNode.Parse(File.ReadAllText(Path.Combine(work, "main.json")))!,
            JsonNode.Parse(File.ReadAllText(Path.Combine(work, "test.snapshot.json")))!);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

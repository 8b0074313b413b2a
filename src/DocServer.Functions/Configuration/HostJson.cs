using Microsoft.Extensions.Configuration.Memory;

namespace DocServer.Functions.Configuration;

/// <summary>
/// host.json, read the way the Functions host reads it: its values under "AzureFunctionsJobHost", where an
/// app setting such as <c>AzureFunctionsJobHost__extensions__queues__batchSize</c> overrides them. The app
/// reads the same file as the host (beside the app: an isolated package has it at its root, and the build
/// copies it there for standalone runs), so the queue listener and the timeout rule follow what the host
/// does, from one place.
/// </summary>
internal static class HostJson
{
    public const string Section = "AzureFunctionsJobHost";

    /// <summary>Adds host.json below every other source, so app settings and environment variables override it.</summary>
    public static void AddTo(IConfigurationBuilder configuration, string appDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = Find(appDirectory);
        if (path is null)
        {
            return;
        }

        var values = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build().AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => new KeyValuePair<string, string?>($"{Section}:{pair.Key}", pair.Value));
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
    }

    /// <summary>The host.json beside the app, if there is one.</summary>
    private static string? Find(string appDirectory) =>
        Path.Combine(appDirectory, "host.json") is var path && File.Exists(path) ? path : null;
}

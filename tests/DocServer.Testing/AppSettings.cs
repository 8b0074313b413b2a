namespace DocServer.Testing;

/// <summary>
/// The settings every test (and the app benchmark) runs the app with: the given storage under its own
/// prefix, the scripted MLX server as the one endpoint, the repository's prompts, no in-process timers,
/// quiet logs. Written as environment variables (DocServer__X); <see cref="AsConfiguration"/> gives the
/// same as configuration keys (DocServer:X).
/// </summary>
public static class AppSettings
{
    public static Dictionary<string, string> For(string storageConnectionString, Uri mlxUrl, string storagePrefix)
    {
        ArgumentNullException.ThrowIfNull(mlxUrl);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["DocServer__StoragePrefix"] = storagePrefix,
            ["DocServerTaskHub"] = storagePrefix,
            ["DocServer__Endpoints__macmini__Url"] = mlxUrl.ToString(),
            ["DocServer__Endpoints__macmini__Model"] = "gemma-test",
            ["DocServer__PromptsPath"] = Path.Combine(AzuriteServer.RepositoryRoot(), "prompts"),
            ["DocServer__Standalone"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public static Dictionary<string, string?> AsConfiguration(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value, StringComparer.Ordinal);
    }
}

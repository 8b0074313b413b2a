namespace DocServer.Functions.Configuration;

/// <summary>What the app takes from host.json's top level (see <see cref="HostJson"/>).</summary>
internal sealed class FunctionsHostOptions
{
    /// <summary>The default of an Elastic Premium plan when host.json sets none.</summary>
    public TimeSpan FunctionTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

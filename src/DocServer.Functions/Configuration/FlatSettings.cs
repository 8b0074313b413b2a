namespace DocServer.Functions.Configuration;

/// <summary>
/// Settings that function.json names as <c>%name%</c>. The Functions host resolves such expressions
/// only for flat app-setting names (no "__", no ":"; azure-functions-host issue 10246), so these three
/// are app settings of their own, read into <see cref="DocServerOptions"/> here, and the same names go
/// into function.json, the Bicep and local.settings.sample.json.
/// </summary>
internal static class FlatSettings
{
    public const string DigestSchedule = "DocServerDigestSchedule";
    public const string GateSweepSchedule = "DocServerGateSweepSchedule";
    public const string ExtractQueue = "DocServerExtractQueue";
    public const string AskQueue = "DocServerAskQueue";

    /// <summary>Flat app-setting name, by <see cref="DocServerOptions"/> property.</summary>
    public static IReadOnlyDictionary<string, string> ByOption { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(DocServerOptions.DigestSchedule)] = DigestSchedule,
        [nameof(DocServerOptions.GateSweepSchedule)] = GateSweepSchedule,
        [nameof(DocServerOptions.ExtractQueue)] = ExtractQueue,
        [nameof(DocServerOptions.AskQueue)] = AskQueue,
    };

    /// <summary>"%DocServerExtractQueue%": how function.json refers to the setting.</summary>
    public static string Expression(string flatName) => $"%{flatName}%";

    /// <summary>Copies the flat settings that are set (an empty value is "not set") over the bound options.</summary>
    public static void Apply(DocServerOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[DigestSchedule] is { Length: > 0 } digest)
        {
            options.DigestSchedule = digest;
        }

        if (configuration[GateSweepSchedule] is { Length: > 0 } sweep)
        {
            options.GateSweepSchedule = sweep;
        }

        if (configuration[ExtractQueue] is { Length: > 0 } queue)
        {
            options.ExtractQueue = queue;
        }

        if (configuration[AskQueue] is { Length: > 0 } asks)
        {
            options.AskQueue = asks;
        }
    }
}

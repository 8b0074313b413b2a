namespace DocServer.Functions.Configuration;

/// <summary>
/// Settings that the triggers in functions.metadata name as <c>%name%</c>. The Functions host resolves such expressions
/// only for flat app-setting names (no "__", no ":"; azure-functions-host issue 10246), so these
/// are app settings of their own, read into <see cref="DocServerOptions"/> here, and the same names go
/// into the trigger attributes (and so functions.metadata), the Bicep and local.settings.sample.json.
/// </summary>
internal static class FlatSettings
{
    public const string DigestSchedule = "DocServerDigestSchedule";
    public const string GateSweepSchedule = "DocServerGateSweepSchedule";
    public const string ExtractionCatchUpSchedule = "DocServerExtractionCatchUpSchedule";
    public const string TaskHub = "DocServerTaskHub";

    /// <summary>Each flat setting: the <see cref="DocServerOptions"/> property it sets, its name, and how it sets it.</summary>
    private static readonly (string Option, string Name, Action<DocServerOptions, string> Set)[] Settings =
    [
        (nameof(DocServerOptions.DigestSchedule), DigestSchedule, (o, v) => o.DigestSchedule = v),
        (nameof(DocServerOptions.GateSweepSchedule), GateSweepSchedule, (o, v) => o.GateSweepSchedule = v),
        (nameof(DocServerOptions.ExtractionCatchUpSchedule), ExtractionCatchUpSchedule, (o, v) => o.ExtractionCatchUpSchedule = v),
        (nameof(DocServerOptions.TaskHub), TaskHub, (o, v) => o.TaskHub = v),
    ];

    /// <summary>Flat app-setting name, by <see cref="DocServerOptions"/> property.</summary>
    public static IReadOnlyDictionary<string, string> ByOption { get; } = Settings.ToDictionary(s => s.Option, s => s.Name, StringComparer.Ordinal);

    /// <summary>"%DocServerTaskHub%": how a trigger or host.json refers to the setting.</summary>
    public static string Expression(string flatName) => $"%{flatName}%";

    /// <summary>
    /// The value the Functions host would put in place of "%name%" (a trigger's schedule or queue), as the app
    /// reads it: the bound option, so an empty setting means the default standalone too.
    /// </summary>
    public static string Resolve(string expression, DocServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(options);
        var name = expression.Trim('%');
        var option = ByOption.Single(p => p.Value == name).Key;
        return (string)typeof(DocServerOptions).GetProperty(option)!.GetValue(options)!;
    }

    /// <summary>Copies the flat settings that are set (an empty value is "not set") over the bound options.</summary>
    public static void Apply(DocServerOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (_, name, set) in Settings)
        {
            if (configuration[name] is { Length: > 0 } value)
            {
                set(options, value);
            }
        }
    }
}

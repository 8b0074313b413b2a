namespace DocServer.Functions.Telemetry;

/// <summary>
/// Where the app's spans, metrics and logs go, read from the settings Azure and OpenTelemetry define:
/// Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set (the Bicep sets it), an OTLP
/// collector when OTEL_EXPORTER_OTLP_ENDPOINT is set, both when both are, nowhere otherwise.
/// </summary>
internal sealed record TelemetryExport(string? AzureMonitorConnectionString, Uri? OtlpEndpoint)
{
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static TelemetryExport From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var azure = configuration[AzureMonitorSetting];
        var otlp = configuration[OtlpSetting];
        if (!string.IsNullOrWhiteSpace(otlp) && !(Uri.TryCreate(otlp.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            throw new InvalidOperationException($"{OtlpSetting} is '{otlp}', which is not an http(s) URL; set it to the collector's address (http://localhost:4317) or remove it.");
        }

        return new(string.IsNullOrWhiteSpace(azure) ? null : azure, string.IsNullOrWhiteSpace(otlp) ? null : new Uri(otlp.Trim()));
    }

    public bool ToAzureMonitor => AzureMonitorConnectionString is not null;

    public bool ToOtlp => OtlpEndpoint is not null;

    /// <summary>One line for the start-up log and ./run.sh.</summary>
    public string Describe() => (ToAzureMonitor, ToOtlp) switch
    {
        (true, true) => $"Application Insights and OTLP at {OtlpEndpoint}",
        (true, false) => "Application Insights",
        (false, true) => $"OTLP at {OtlpEndpoint}",
        _ => $"not exported (set {AzureMonitorSetting} or {OtlpSetting})",
    };
}

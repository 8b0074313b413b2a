using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DocServer.Functions.Telemetry;
using DocServer.Testing;
using Microsoft.Extensions.Configuration;

namespace DocServer.Functions.Tests;

/// <summary>
/// The exporters as the deployed app chooses them, from the same settings Azure and OpenTelemetry define, in a
/// real app process: OTLP to a collector, Application Insights to its ingestion endpoint (here a local sink
/// standing in for each), nothing when neither is set.
/// </summary>
public sealed class TelemetryExportTests
{
    [Theory]
    [InlineData(null, null, false, false, "not exported")]
    [InlineData("InstrumentationKey=k;IngestionEndpoint=https://example.in.applicationinsights.azure.com/", null, true, false, "Application Insights")]
    [InlineData(null, "http://localhost:4317", false, true, "OTLP at http://localhost:4317/")]
    [InlineData("InstrumentationKey=k", "http://collector:4318", true, true, "Application Insights and OTLP")]
    [InlineData("  ", "", false, false, "not exported")]
    public void From_Settings_ChoosesTheExporters(string? connection, string? otlp, bool azure, bool toOtlp, string described)
    {
        var export = TelemetryExport.From(Configuration(connection, otlp));

        Assert.Equal((azure, toOtlp), (export.ToAzureMonitor, export.ToOtlp));
        Assert.StartsWith(described, export.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void From_OtlpEndpointNotAUrl_SaysWhichSettingAndWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TelemetryExport.From(Configuration(null, "collector:4317 ")));

        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://localhost:4317", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_EndpointSet_TheAppExportsItsSpansMetricsAndLogsThere()
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var mlx = await ScriptedMlxServer.StartAsync();
        var settings = await SettingsAsync(mlx);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.BaseUrl.ToString().TrimEnd('/');
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "100";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "300";
        using var app = AppProcess.Start(settings, AppProcess.AnyPort);

        await AskOnceAsync(app);

        await EventuallyAsync(() => sink.Received("v1/traces", "chat gemma-test") && sink.Received("v1/traces", "gate wait"), () => $"the ask's spans at the collector; got {sink.Summary()}; the app said:\n{app.Output}");
        await EventuallyAsync(() => sink.Received("v1/metrics", "docserver.gate.wait") && sink.Received("v1/metrics", "gen_ai.client.operation.duration"), () => $"the instruments at the collector; got {sink.Summary()}");
        await EventuallyAsync(() => sink.Received("v1/logs", "dispatch"), () => $"the gate's log lines at the collector; got {sink.Summary()}");
        Assert.Contains($"Telemetry: OTLP at {sink.BaseUrl}", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicationInsights_ConnectionStringSet_TheAppSendsItsSpansToTheIngestionEndpoint()
    {
        await using var sink = await TelemetrySink.StartAsync();
        await using var mlx = await ScriptedMlxServer.StartAsync();
        var settings = await SettingsAsync(mlx);
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = sink.ApplicationInsightsConnectionString;
        using var app = AppProcess.Start(settings, AppProcess.AnyPort);

        await AskOnceAsync(app);

        // The exporter sends its batch every few seconds (and keeps it to send again if it fails); the ingestion
        // service itself is Azure's (untested here).
        await EventuallyAsync(() => sink.Received("v2.1/track", "chat gemma-test") && sink.Received("v2.1/track", "docserver.gate.outcome"), () => $"the ask's spans at the ingestion endpoint; got {sink.Summary()}; the app said:\n{app.Output}", TimeSpan.FromSeconds(60));
        Assert.Contains("Telemetry: Application Insights", app.Output, StringComparison.Ordinal);
        // Our sampler, not the exporter's own: storage calls made outside any traced work (creating the queues at
        // start, the backlog sampler's reads) start no traces.
        Assert.False(
            sink.Received("v2.1/track", "QueueClient.CreateIfNotExists") || sink.Received("v2.1/track", "QueueClient.GetProperties"),
            $"background storage calls were exported: {sink.Summary()}");
    }

    private static async Task<Dictionary<string, string>> SettingsAsync(ScriptedMlxServer mlx)
    {
        mlx.ReplyWith(prompt => MlxReply.Text(AppFactory.SensibleReply(prompt)));
        var settings = AppSettings.For((await AzuriteServer.GetAsync()).ConnectionString, mlx.BaseUrl, "o" + Guid.NewGuid().ToString("N")[..12]);
        settings["Logging__LogLevel__DocServer"] = "Information";
        return settings;
    }

    private static async Task AskOnceAsync(AppProcess app)
    {
        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var created = await http.PostAsJsonAsync($"{app.Url}/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var asked = await http.PostAsJsonAsync($"{app.Url}/api/ask", new { question = EvidenceFixtures.EnglishQuestion });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
    }

    private static IConfiguration Configuration(string? connection, string? otlp) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryExport.AzureMonitorSetting] = connection, [TelemetryExport.OtlpSetting] = otlp })
        .Build();

    private static async Task EventuallyAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(15)), $"timed out waiting for {what()}");
            await Task.Delay(100);
        }
    }
}

using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DocServer.Testing;

/// <summary>
/// What an app process exports, received on 127.0.0.1: an OTLP/HTTP collector (POST /v1/traces, /v1/metrics,
/// /v1/logs, protobuf) and an Application Insights ingestion endpoint (POST /v2.1/track, JSON, often gzipped).
/// It answers success and keeps each body, so a test can look for span and instrument names in what was sent.
/// </summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    private TelemetrySink(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A connection string that sends Application Insights telemetry here instead of to Azure.</summary>
    public string ApplicationInsightsConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={BaseUrl}";

    public static async Task<TelemetrySink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new TelemetrySink(app);
        app.MapPost("/{**path}", sink.ReceiveAsync);
        await app.StartAsync();
        sink.BaseUrl = new Uri(app.Urls.Single() + "/");
        return sink;
    }

    /// <summary>What was received, path by path, for a failing test's message.</summary>
    public string Summary() => string.Join(", ", _received.GroupBy(r => r.Path).Select(g => $"{g.Key}: {g.Count()} ({g.Sum(r => r.Body.Length)} bytes{Names(g.Key)})")) is { Length: > 0 } s ? s : "nothing";

    /// <summary>For Application Insights (JSON): the distinct item names received, which say what did arrive.</summary>
    private string Names(string path) => !path.StartsWith("v2", StringComparison.Ordinal) ? string.Empty
        : "; names: " + string.Join(" | ", _received.Where(r => r.Path == path)
            .SelectMany(r => System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(r.Body), "\"name\":\"([^\"]{1,60})\"").Select(m => m.Groups[1].Value))
            .Distinct().Take(200));

    /// <summary>Requests received on a path (e.g. "v1/traces").</summary>
    public int Count(string path) => _received.Count(r => r.Path == path);

    /// <summary>Bytes received on a path: what the exporter's serialisation and sending cost the app.</summary>
    public long Bytes(string path) => _received.Where(r => r.Path == path).Sum(r => (long)r.Body.Length);

    /// <summary>True when some body received on <paramref name="path"/> contains <paramref name="text"/> (UTF-8: protobuf keeps strings as they are).</summary>
    public bool Received(string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _received.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpContext context, string path)
    {
        using var body = new MemoryStream();
        var input = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        await using (input.ConfigureAwait(false))
        {
            await input.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        var bytes = body.ToArray();
        _received.Enqueue((path, bytes));
        // OTLP wants an empty protobuf message. Application Insights answers how many of the items (one JSON object
        // per line) it accepted: all of them, or the exporter would keep the batch to send again.
        var items = bytes.AsSpan().Count((byte)'\n') + (bytes.Length > 0 && bytes[^1] != (byte)'\n' ? 1 : 0);
        return path.StartsWith("v2", StringComparison.Ordinal)
            ? Results.Json(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() })
            : Results.Bytes([], "application/x-protobuf");
    }
}

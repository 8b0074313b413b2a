using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DocServer.Functions.Tests;

/// <summary>
/// The app's own telemetry pipeline with OpenTelemetry's in-memory exporters added: the spans, metric snapshots
/// and log records it exported, read after a flush.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly LockedCollection<Activity> _spans = new();
    private readonly LockedCollection<MetricSnapshot> _metrics = new();
    private readonly LockedCollection<LogRecord> _logs = new();

    public void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
        services.ConfigureOpenTelemetryLoggerProvider(l => l.AddInMemoryExporter(_logs));
    }

    public IReadOnlyList<Activity> Spans(ActivityTraceId trace) => [.. _spans.Snapshot().Where(s => s.TraceId == trace)];

    public IReadOnlyList<Activity> AllSpans() => _spans.Snapshot();

    public IReadOnlyList<LogRecord> Logs(ActivityTraceId trace) => [.. _logs.Snapshot().Where(l => l.TraceId == trace)];

    /// <summary>Collects every instrument now and returns the points of <paramref name="name"/> from that collection.</summary>
    public IReadOnlyList<MetricPoint> Collect(IServiceProvider services, string name)
    {
        _metrics.Clear();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        var points = new List<MetricPoint>();
        foreach (var metric in _metrics.Snapshot().Where(m => m.Name == name))
        {
            points.AddRange(metric.MetricPoints);
        }

        return points;
    }

    public static IReadOnlyDictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    /// <summary>The exporters write from the app's threads while a test reads.</summary>
    private sealed class LockedCollection<T> : Collection<T>
    {
        private readonly Lock _lock = new();

        public IReadOnlyList<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (_lock)
            {
                base.ClearItems();
            }
        }
    }
}

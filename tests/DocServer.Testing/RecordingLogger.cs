using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DocServer.Testing;

/// <summary>Keeps every log line so tests can assert what was logged (warnings, fields), not only what was returned.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);

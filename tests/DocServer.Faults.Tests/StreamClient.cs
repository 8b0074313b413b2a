using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;

namespace DocServer.Faults.Tests;

/// <summary>A caller of POST /api/ask/stream that records each event as it arrives, and can hang up at any point.</summary>
internal sealed class StreamClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _hangUp = new();
    private readonly Channel<(string Type, JsonElement Data)> _arrivals = Channel.CreateUnbounded<(string, JsonElement)>();
    private readonly Task _reading;

    private StreamClient(HttpClient http, string question) => _reading = ReadAsync(http, question);

    public List<(string Type, JsonElement Data)> Events { get; } = [];

    public IEnumerable<string> Types => Events.Select(e => e.Type);

    public static StreamClient Start(HttpClient http, string question) => new(http, question);

    /// <summary>Waits for the next event of <paramref name="type"/>, recording every event on the way.</summary>
    public async Task<JsonElement> NextAsync(string type, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (await _arrivals.Reader.WaitToReadAsync(limit.Token))
        {
            while (_arrivals.Reader.TryRead(out var arrival))
            {
                Events.Add(arrival);
                if (arrival.Type == type)
                {
                    return arrival.Data;
                }
            }
        }

        throw new InvalidOperationException($"The stream ended without a '{type}' event; got {string.Join(", ", Types)}.");
    }

    /// <summary>Reads to the end of the stream; every event is then in <see cref="Events"/>.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        await _reading.WaitAsync(timeout);
        while (_arrivals.Reader.TryRead(out var arrival))
        {
            Events.Add(arrival);
        }
    }

    /// <summary>Closes the connection, as a browser tab does when it is closed.</summary>
    public async Task HangUpAsync()
    {
        await _hangUp.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
            // What hanging up does to our own read: expected.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await HangUpAsync();
        _hangUp.Dispose();
    }

    private async Task ReadAsync(HttpClient http, string question)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ask/stream") { Content = JsonContent.Create(new { question }) };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _hangUp.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            await using var body = await response.Content.ReadAsStreamAsync(_hangUp.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(_hangUp.Token))
            {
                using var json = JsonDocument.Parse(item.Data);
                await _arrivals.Writer.WriteAsync((item.EventType, json.RootElement.Clone()), _hangUp.Token);
            }
        }
        finally
        {
            _arrivals.Writer.TryComplete();
        }
    }
}

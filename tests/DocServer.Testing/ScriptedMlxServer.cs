using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DocServer.Testing;

/// <summary>
/// An OpenAI-compatible chat server on 127.0.0.1 that behaves like one MLX host: it does one inference
/// at a time, and a request arriving while another is in progress is answered 503 and counted as a
/// violation, so tests see the failure the gate exists to prevent. Replies are scripted per request.
/// A streamed reply stops as soon as the client closes the connection; a non-streamed one is finished
/// first (as mlx_lm does), keeping the host busy after the client has gone.
/// </summary>
public sealed class ScriptedMlxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<MlxReply> _script = new();
    private readonly ConcurrentQueue<MlxRequest> _requests = new();
    private readonly ConcurrentQueue<(long Start, long End)> _calls = new();
    private Func<string, MlxReply> _fallback = _ => MlxReply.Status(500, "{\"error\":\"no scripted reply left\"}");
    private int _inFlight;
    private int _violations;
    private int _mostAtOnce;
    private int _abandoned;
    private readonly ConcurrentQueue<int> _piecesBeforeAbandon = new();

    private ScriptedMlxServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public int Violations => Volatile.Read(ref _violations);

    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    /// <summary>Requests whose client closed the connection before the reply was complete.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>For each streamed reply its client abandoned, how many pieces it had written by then.</summary>
    public IReadOnlyList<int> PiecesBeforeAbandon => [.. _piecesBeforeAbandon];

    public IReadOnlyList<MlxRequest> Requests => [.. _requests];

    /// <summary>When each accepted call started and ended (Stopwatch timestamps): the host's busy time and the gaps between holders.</summary>
    public IReadOnlyList<(long Start, long End)> Calls => [.. _calls];

    public static async Task<ScriptedMlxServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedMlxServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        // As mlx_lm.server: the loaded model, answered without running it (what the health probe asks).
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = "scripted", @object = "model" } } }));
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.Single() + "/v1/");
        return server;
    }

    /// <summary>An http URL on which nothing listens: connecting is refused.</summary>
    public static Uri RefusedUrl() => new($"http://127.0.0.1:{LoopbackPorts.Free()}/v1/");

    /// <summary>Replies in order, one per request; when the script runs out, <see cref="ReplyWith"/> decides.</summary>
    public void Enqueue(params MlxReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public void ReplyWith(Func<string, MlxReply> reply) => _fallback = reply;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var atOnce = Interlocked.Increment(ref _inFlight);
        try
        {
            InterlockedMax(ref _mostAtOnce, atOnce);
            if (atOnce > 1)
            {
                Interlocked.Increment(ref _violations);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("{\"error\":\"single inference violated: another request is in progress\"}", context.RequestAborted);
                return;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            context.Response.OnCompleted(() =>
            {
                _calls.Enqueue((started, System.Diagnostics.Stopwatch.GetTimestamp()));
                return Task.CompletedTask;
            });
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var prompt = body?["messages"]?.AsArray().LastOrDefault()?["content"]?.GetValue<string>() ?? string.Empty;
            var stream = body?["stream"]?.GetValue<bool>() == true;
            _requests.Enqueue(new MlxRequest(prompt, body?["model"]?.GetValue<string>(), body?["max_completion_tokens"]?.GetValue<int>() ?? body?["max_tokens"]?.GetValue<int>(), stream));
            var reply = _script.TryDequeue(out var next) ? next : _fallback(prompt);
            // Like mlx_lm.server: the usage as a last chunk when the client asks for it (the OpenAI client does).
            var usage = stream && body?["stream_options"]?["include_usage"]?.GetValue<bool>() == true ? Words(prompt) : (int?)null;
            await RespondAsync(context, reply, stream, usage);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout, or its lease was lost): like mlx_lm streaming, stop at once.
            _piecesBeforeAbandon.Enqueue(context.Items[PiecesWritten] as int? ?? 0);
            Interlocked.Increment(ref _abandoned);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task RespondAsync(HttpContext context, MlxReply reply, bool stream, int? promptTokens)
    {
        switch (reply)
        {
            case MlxReply.TextReply text when stream:
                // Server-sent events, a few pieces spread over the latency, as mlx_lm streams tokens.
                context.Response.ContentType = "text/event-stream";
                var pieces = Pieces(text.Content, 3);
                foreach (var piece in pieces)
                {
                    await Task.Delay(text.Latency / pieces.Count, context.RequestAborted);
                    await context.Response.WriteAsync($"data: {Chunk(piece, null)}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }

                await context.Response.WriteAsync($"data: {Chunk(string.Empty, "stop")}\n\n{UsageChunk(promptTokens, text.Content)}data: [DONE]\n\n", context.RequestAborted);
                break;
            case MlxReply.TimedReply timed:
                context.Response.ContentType = "text/event-stream";
                await context.Response.Body.FlushAsync(context.RequestAborted);
                foreach (var (delay, piece) in timed.Pieces)
                {
                    await Task.Delay(delay, context.RequestAborted);
                    await context.Response.WriteAsync($"data: {Chunk(piece, null)}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    context.Items[PiecesWritten] = (context.Items[PiecesWritten] as int? ?? 0) + 1;
                }

                await context.Response.WriteAsync($"data: {Chunk(string.Empty, "stop")}\n\n{UsageChunk(promptTokens, string.Concat(timed.Pieces.Select(p => p.Piece)))}data: [DONE]\n\n", context.RequestAborted);
                break;
            case MlxReply.TextReply text:
                // Like mlx_lm without streaming: the answer is made in full whether or not anyone still
                // waits for it, so a client that gave up leaves the host busy until it is done.
                await Task.Delay(text.Latency, CancellationToken.None);
                context.RequestAborted.ThrowIfCancellationRequested();
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(Completion(text.Content), context.RequestAborted);
                break;
            case MlxReply.StatusReply status:
                context.Response.StatusCode = status.Code;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(status.Body, context.RequestAborted);
                break;
            default:
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                break;
        }
    }

    private const string PiecesWritten = "scripted.pieces";

    private static List<string> Pieces(string content, int count)
    {
        var size = Math.Max(1, (content.Length + count - 1) / count);
        return [.. Enumerable.Range(0, (content.Length + size - 1) / size).Select(i => content.Substring(i * size, Math.Min(size, content.Length - (i * size))))];
    }

    private static string Chunk(string content, string? finishReason) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-scripted",
        @object = "chat.completion.chunk",
        created = 1_763_700_000,
        model = "scripted",
        choices = new[] { new { index = 0, delta = new { role = "assistant", content }, finish_reason = finishReason } },
    });

    /// <summary>Tokens counted as words: the tests need a count that follows the text, not a tokenizer.</summary>
    public static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string UsageChunk(int? promptTokens, string content) => promptTokens is not { } input ? string.Empty : "data: " + JsonSerializer.Serialize(new
    {
        id = "chatcmpl-scripted",
        @object = "chat.completion.chunk",
        created = 1_763_700_000,
        model = "scripted",
        choices = Array.Empty<object>(),
        usage = new { prompt_tokens = input, completion_tokens = Words(content), total_tokens = input + Words(content) },
    }) + "\n\n";

    private static string Completion(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-scripted",
        @object = "chat.completion",
        created = 1_763_700_000,
        model = "scripted",
        choices = new[] { new { index = 0, finish_reason = "stop", message = new { role = "assistant", content } } },
        usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
    });

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}

/// <summary>What the server was asked: the last user message, the model name, the token limit, whether to stream.</summary>
public sealed record MlxRequest(string Prompt, string? Model, int? MaxTokens, bool Stream);

using System.ClientModel;
using System.ClientModel.Primitives;
using DocServer.Core.Llm;
using OpenAI;
using OpenAI.Chat;

namespace DocServer.Llm.Mlx;

/// <summary>
/// Chat completions against an MLX host with the OpenAI client (mlx_lm.server implements the same
/// protocol). Callers run it only inside the endpoint's gate lease; the token they pass is cancelled
/// when the call times out or the lease is lost, which closes the connection.
/// The reply is streamed: mlx_lm.server writes each token as it is made, so a closed connection stops
/// the generation at once. Without streaming it would finish the abandoned answer first, and the host
/// would still be busy when the gate hands the next caller its turn.
/// </summary>
public sealed class MlxLanguageModel : ILanguageModel
{
    /// <summary>
    /// One connection pool for every endpoint. An unfinished reply is never drained: by default HttpClient reads on
    /// (up to 1 MB or 2 s) from a reply its caller stopped reading, to reuse the connection, and the host goes on
    /// generating all that time, after the gate has passed to the next caller. Closing the connection ends it at once.
    /// </summary>
    private static readonly HttpClientPipelineTransport Transport = new(new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0, UseCookies = false })
    {
        // The client's NetworkTimeout and the caller's deadlines bound each call; HttpClient's own 100 s would cut a long reply.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    private readonly ChatClient _client;

    public MlxLanguageModel(MlxEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.Validate();
        Endpoint = endpoint.Name;
        Model = endpoint.Model;
        _client = new ChatClient(
            endpoint.Model,
            new ApiKeyCredential(endpoint.ApiKey ?? "no-key"),
            new OpenAIClientOptions
            {
                Endpoint = endpoint.Url,
                Transport = Transport,
                NetworkTimeout = endpoint.NetworkTimeout,
                // No client retries: a retry would run inside the same lease and timeout budget, and a
                // failed call already has its fallback (E7). The gate, not the client, decides what runs.
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            });
    }

    public string Endpoint { get; }

    public string Model { get; }

    public async Task<string> CompleteAsync(LanguageModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<ChatMessage> messages = request.System is null
            ? [new UserChatMessage(request.Prompt)]
            : [new SystemChatMessage(request.System), new UserChatMessage(request.Prompt)];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = request.MaxTokens, Temperature = (float)request.Temperature };
        var reply = new System.Text.StringBuilder();

        // The stream's own deadlines: a first token within FirstTokenTimeout, then never a pause longer than
        // IdleTimeout. A long reply that keeps coming is never cut here (the caller's cap still applies).
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = request.FirstTokenTimeout;
        var beforeFirstToken = true;
        if (deadline is { } first)
        {
            stalled.CancelAfter(first);
        }

        try
        {
            await foreach (var update in _client.CompleteChatStreamingAsync(messages, options, stalled.Token).WithCancellation(stalled.Token).ConfigureAwait(false))
            {
                // The last update of a stream carries the usage (the client asks for it) and no text.
                if (update.Usage is { } usage)
                {
                    request.OnUsage?.Invoke(new ModelUsage(usage.InputTokenCount, usage.OutputTokenCount));
                }

                beforeFirstToken = false;
                deadline = request.IdleTimeout;
                stalled.CancelAfter(deadline ?? Timeout.InfiniteTimeSpan);
                foreach (var part in update.ContentUpdate.Where(part => part.Kind == ChatMessageContentPartKind.Text))
                {
                    reply.Append(part.Text);
                    request.OnText?.Invoke(part.Text);
                }
            }
        }
        catch (OperationCanceledException) when (stalled.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelStalledException(Endpoint, beforeFirstToken, deadline ?? TimeSpan.Zero);
        }

        return reply.ToString();
    }
}

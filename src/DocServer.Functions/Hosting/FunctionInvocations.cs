using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The custom-handler side of timer and queue triggers: the Functions host POSTs
/// <c>{"Data": {...}, "Metadata": {...}}</c> to /{FunctionName} and reads back
/// <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>. A failure answers 500, so the host
/// counts it (and retries queue messages up to maxDequeueCount, then poisons them).
/// </summary>
internal static class FunctionInvocations
{
    public static WebApplication MapFunctionInvocations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/{function:regex(^(Digest|GateSweep|Extract|AskJob)$)}", InvokeAsync).WithName("CustomHandlerInvocation").ExcludeFromDescription();
        return app;
    }

    internal static async Task<Results<Ok<InvocationResponse>, JsonHttpResult<InvocationResponse>, ProblemHttpResult>> InvokeAsync(
        string function, InvocationRequest? request, FunctionInvoker invoker, ILogger<FunctionInvoker> logger, CancellationToken cancellationToken)
    {
        var queued = FunctionInvoker.IsQueueTriggered(function);
        var input = queued ? MessageText(request) : null;
        if (queued && string.IsNullOrWhiteSpace(input))
        {
            return Problems.BadRequest($"A {function} invocation carries its queue message as Data.message, e.g. {{\"Data\": {{\"message\": \"tenancy\"}}}}.");
        }

        try
        {
            var result = await invoker.InvokeAsync(function, input, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new InvocationResponse(new Dictionary<string, object?>(), [$"{function} completed"], result));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FunctionLog.Failed(logger, ex, function);
            return TypedResults.Json(new InvocationResponse(new Dictionary<string, object?>(), [$"{function} failed: {ex.Message}"], null), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>The queue message as the host hands it over: a JSON string, or raw JSON if the message was JSON.</summary>
    private static string? MessageText(InvocationRequest? request)
    {
        if (request?.Data is not { } data || !data.TryGetValue("message", out var message))
        {
            return null;
        }

        return message.ValueKind == JsonValueKind.String ? message.GetString() : message.GetRawText();
    }
}

internal sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

internal sealed record InvocationResponse(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

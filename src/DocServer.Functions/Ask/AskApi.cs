using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>POST /api/ask (synchronous, or 202 + status URL) and GET /api/ask/{id}.</summary>
internal static class AskApi
{
    public static IEndpointRouteBuilder MapAsk(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(string.Empty).WithTags("Ask");
        group.MapPost(ApiRoutes.Ask, AskAsync).WithName(FunctionNames.Ask);
        group.MapPost(ApiRoutes.AskStream, Stream).WithName(FunctionNames.AskStream);
        group.MapGet(ApiRoutes.AskResult, GetAskAsync).WithName(FunctionNames.GetAsk);
        return app;
    }

    internal static async Task<Results<Ok<AskResponse>, Accepted<AskAccepted>, ProblemHttpResult>> AskAsync(
        AskRequest? request, AskService asks, AskJobs jobs, IOptions<DocServerOptions> options, HttpResponse response, CancellationToken cancellationToken)
    {
        if (Question(request, options.Value) is not { } question)
        {
            return Problem(request, options.Value);
        }

        if (request!.Async == true)
        {
            var id = await jobs.StartAsync(question, cancellationToken).ConfigureAwait(false);
            var url = $"/api/ask/{id}";
            return TypedResults.Accepted(url, new AskAccepted(id, AskStatus.Running.ToText(), url));
        }

        // A queued ask waits for the index; one answered now is refused until the index is whole.
        return asks.StillLoading() is { } loading
            ? Problems.StillLoading(loading, response)
            : TypedResults.Ok(await asks.AskAsync(question, null, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<Results<Ok<AskResponse>, Accepted<AskAccepted>, ProblemHttpResult>> GetAskAsync(string id, AskJobs jobs, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(id, "N", out _))
        {
            return Problems.NotFound($"'{id}' is not an ask id; ids are the 32 hex characters returned by POST /api/ask with \"async\": true.");
        }

        var job = await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        switch (job)
        {
            case null:
                return Problems.NotFound($"No ask {id}: it never existed, or its result expired.");
            case { Status: AskStatus.Done, Result: { } result }:
                return TypedResults.Ok(result);
            case { Status: AskStatus.Failed } failed:
                return TypedResults.Problem(failed.Error, statusCode: StatusCodes.Status500InternalServerError, title: "The ask failed");
            default:
                response.Headers.RetryAfter = "2";
                return TypedResults.Accepted($"/api/ask/{id}", new AskAccepted(id, AskStatus.Running.ToText(), $"/api/ask/{id}"));
        }
    }

    /// <summary>POST /api/ask/stream: the same ask as server-sent events (see AskProgress); bad input is a 400 before any event.</summary>
    internal static Results<ServerSentEventsResult<object>, ProblemHttpResult> Stream(AskRequest? request, AskService asks, IOptions<DocServerOptions> options, HttpResponse response, CancellationToken cancellationToken)
    {
        if (Question(request, options.Value) is not { } question)
        {
            return Problem(request, options.Value);
        }

        return asks.StillLoading() is { } loading
            ? Problems.StillLoading(loading, response)
            : TypedResults.ServerSentEvents(asks.StreamAsync(question, cancellationToken));
    }

    private static string? Question(AskRequest? request, DocServerOptions options) =>
        request?.Question?.Trim() is { Length: > 0 } question && question.Length <= options.MaxQuestionChars ? question : null;

    private static ProblemHttpResult Problem(AskRequest? request, DocServerOptions options) =>
        request?.Question?.Trim() is { Length: > 0 } question
            ? Problems.BadRequest($"The question is {question.Length} characters; the limit is {options.MaxQuestionChars}. Ask something shorter.")
            : Problems.BadRequest("Send a JSON body with a non-empty \"question\", e.g. {\"question\": \"What is the notice period?\"}.");
}

internal sealed record AskAccepted(string Id, string Status, string StatusUrl);

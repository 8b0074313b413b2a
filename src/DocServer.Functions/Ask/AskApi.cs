using DocServer.Functions.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>POST /api/ask (synchronous, or 202 + status URL) and GET /api/ask/{id}.</summary>
internal static class AskApi
{
    public static RouteGroupBuilder MapAsk(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/ask").WithTags("Ask");
        group.MapPost("/", AskAsync).WithName("Ask");
        group.MapGet("/{id}", GetAskAsync).WithName("GetAsk");
        return api;
    }

    internal static async Task<Results<Ok<AskResponse>, Accepted<AskAccepted>, ProblemHttpResult>> AskAsync(
        AskRequest? request, AskService asks, AskJobs jobs, IOptions<DocServerOptions> options, CancellationToken cancellationToken)
    {
        var question = request?.Question?.Trim();
        if (string.IsNullOrEmpty(question))
        {
            return Problems.BadRequest("Send a JSON body with a non-empty \"question\", e.g. {\"question\": \"What is the notice period?\"}.");
        }

        if (question.Length > options.Value.MaxQuestionChars)
        {
            return Problems.BadRequest($"The question is {question.Length} characters; the limit is {options.Value.MaxQuestionChars}. Ask something shorter.");
        }

        if (request!.Async == true)
        {
            var id = await jobs.StartAsync(question, cancellationToken).ConfigureAwait(false);
            var url = $"/api/ask/{id}";
            return TypedResults.Accepted(url, new AskAccepted(id, "running", url));
        }

        return TypedResults.Ok(await asks.AskAsync(question, null, cancellationToken).ConfigureAwait(false));
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
            case { Status: "done", Result: { } result }:
                return TypedResults.Ok(result);
            case { Status: "failed" } failed:
                return TypedResults.Problem(failed.Error, statusCode: StatusCodes.Status500InternalServerError, title: "The ask failed");
            default:
                response.Headers.RetryAfter = "2";
                return TypedResults.Accepted($"/api/ask/{id}", new AskAccepted(id, "running", $"/api/ask/{id}"));
        }
    }
}

internal sealed record AskAccepted(string Id, string Status, string StatusUrl);

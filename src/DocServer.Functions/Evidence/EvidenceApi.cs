using DocServer.Functions.Contracts;
using DocServer.Core.Evidence;
using DocServer.Functions.Configuration;
using DocServer.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Evidence;

/// <summary>POST /api/evidence: the caller's own search results in, evidence out (FOREGROUND).</summary>
internal static class EvidenceApi
{
    private const int MaxResults = 50;

    /// <summary>Scores beyond this are not scores (rerankers give logits of a few tens at most).</summary>
    private const double MaxAbsoluteScore = 1_000_000;

    public static IEndpointRouteBuilder MapEvidence(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(ApiRoutes.Evidence, ExtractAsync).WithName(FunctionNames.Evidence).WithTags("Evidence");
        return app;
    }

    internal static async Task<Results<Ok<EvidenceResponse>, ProblemHttpResult>> ExtractAsync(
        EvidenceRequest? request, EvidenceExtractor extractor, IOptions<DocServerOptions> options, CancellationToken cancellationToken)
    {
        var query = request?.Query?.Trim();
        if (string.IsNullOrEmpty(query) || query.Length > options.Value.MaxQuestionChars)
        {
            return Problems.BadRequest($"Send a non-empty \"query\" of at most {options.Value.MaxQuestionChars} characters.");
        }

        var results = request!.Results ?? [];
        if (results.Count > MaxResults)
        {
            return Problems.BadRequest($"{results.Count} results sent; at most {MaxResults} are read (only 6 become candidates).");
        }

        for (var i = 0; i < results.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(results[i].DocId) || results[i].Text is null)
            {
                return Problems.BadRequest($"results[{i}] needs a \"docId\" and a \"text\".");
            }

            foreach (var (field, value) in new[] { ("score", results[i].Score), ("rerankScore", results[i].RerankScore) })
            {
                if (value is { } number && (!double.IsFinite(number) || Math.Abs(number) > MaxAbsoluteScore))
                {
                    return Problems.BadRequest($"results[{i}].{field} must be a finite number between -{MaxAbsoluteScore:0} and {MaxAbsoluteScore:0} (got {number}).");
                }
            }
        }

        var input = results.Select(r => new SearchResult(r.DocId!, r.ChunkId, r.Title, r.SectionTitle, r.Text!, r.Score, r.RerankScore)).ToList();
        return TypedResults.Ok(EvidenceResponse.From(await extractor.ExtractAsync(query, input, null, cancellationToken).ConfigureAwait(false)));
    }
}

internal sealed record EvidenceRequest(string? Query, IReadOnlyList<EvidenceRequestResult>? Results);

internal sealed record EvidenceRequestResult(string? DocId, string? ChunkId, string? Title, string? SectionTitle, string? Text, double? Score, double? RerankScore);

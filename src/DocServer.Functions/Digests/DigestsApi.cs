using DocServer.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions.Digests;

/// <summary>GET /api/digests (ids, newest first), /api/digests/latest and /api/digests/{id} (JSON, or markdown with ?format=md).</summary>
internal static class DigestsApi
{
    public static IEndpointRouteBuilder MapDigests(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(string.Empty).WithTags("Digests");
        group.MapGet(ApiRoutes.Digests, ListAsync).WithName(FunctionNames.ListDigests);
        group.MapGet(ApiRoutes.LatestDigest, LatestAsync).WithName(FunctionNames.LatestDigest);
        group.MapGet(ApiRoutes.Digest, GetAsync).WithName(FunctionNames.GetDigest);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<string>>> ListAsync(DigestService digests, CancellationToken cancellationToken) =>
        TypedResults.Ok(await digests.ListAsync(cancellationToken).ConfigureAwait(false));

    internal static async Task<Results<Ok<Digest>, ContentHttpResult, ProblemHttpResult>> LatestAsync(DigestService digests, string? format, CancellationToken cancellationToken) =>
        await digests.LatestIdAsync(cancellationToken).ConfigureAwait(false) is { } id
            ? await GetAsync(id, digests, format, cancellationToken).ConfigureAwait(false)
            : Problems.NotFound("No digest has been made yet: each run of the digest timer writes one when documents were added since the run before.");

    internal static async Task<Results<Ok<Digest>, ContentHttpResult, ProblemHttpResult>> GetAsync(string id, DigestService digests, string? format, CancellationToken cancellationToken)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[0-9]{8}T[0-9]{6}Z$"))
        {
            return Problems.NotFound($"'{id}' is not a digest id; GET /api/digests lists them.");
        }

        if (format == "md")
        {
            return await digests.GetMarkdownAsync(id, cancellationToken).ConfigureAwait(false) is { } markdown
                ? TypedResults.Text(markdown, "text/markdown; charset=utf-8")
                : Problems.NotFound($"No digest {id}.");
        }

        return await digests.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } digest
            ? TypedResults.Ok(digest)
            : Problems.NotFound($"No digest {id}.");
    }
}

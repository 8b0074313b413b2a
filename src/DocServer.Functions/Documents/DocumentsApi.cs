using DocServer.Functions.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using DocServer.Functions.Hosting;
using DocServer.Storage.Documents;

namespace DocServer.Functions.Documents;

/// <summary>POST/GET/DELETE /api/documents: ingest (JSON body or multipart upload), list, read, delete.</summary>
internal static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(string.Empty).WithTags("Documents");
        group.MapPost(ApiRoutes.Documents, IngestAsync).WithName(FunctionNames.IngestDocument).Accepts<IngestRequest>("application/json", "multipart/form-data");
        group.MapGet(ApiRoutes.Documents, ListAsync).WithName(FunctionNames.ListDocuments);
        group.MapGet(ApiRoutes.Document, GetAsync).WithName(FunctionNames.GetDocument);
        group.MapDelete(ApiRoutes.Document, DeleteAsync).WithName(FunctionNames.DeleteDocument);
        return app;
    }

    internal static async Task<Results<Created<DocumentResponse>, ProblemHttpResult>> IngestAsync(HttpRequest request, DocumentIngestion ingestion, CancellationToken cancellationToken)
    {
        string? id, title, content, contentType;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                return Problems.BadRequest($"The upload is not a valid multipart form ({ex.Message}): send the document in a form field named \"file\".");
            }

            var file = form.Files.Count > 0 ? form.Files[0] : null;
            if (file is null)
            {
                return Problems.BadRequest("The upload has no file: send the document as a multipart form field named \"file\".");
            }

            using var reader = new StreamReader(file.OpenReadStream());
            content = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            id = form["id"].FirstOrDefault();
            title = form["title"].FirstOrDefault() ?? Path.GetFileNameWithoutExtension(file.FileName);
            contentType = form["contentType"].FirstOrDefault() ?? (file.FileName.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "markdown" : "text");
        }
        else if (request.HasJsonContentType())
        {
            IngestRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<IngestRequest>(cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return Problems.BadRequest($"The body is not valid JSON for a document ({{\"id\", \"title\", \"content\", \"contentType\"}}): {ex.Message}");
            }

            (id, title, content, contentType) = (body?.Id, body?.Title, body?.Content, body?.ContentType);
        }
        else
        {
            return Problems.BadRequest("Send the document as JSON ({\"title\", \"content\", \"contentType\"}) or as a multipart upload with a \"file\" field.");
        }

        var (document, problem) = await ingestion.IngestAsync(id, title, content, contentType, cancellationToken).ConfigureAwait(false);
        return document is null ? Problems.BadRequest(problem!) : TypedResults.Created($"/api/documents/{document.Id}", DocumentResponse.From(document));
    }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>A page of documents in id order; pass the page's continuationToken back for the next one.</summary>
    internal static async Task<Results<Ok<DocumentList>, ProblemHttpResult>> ListAsync(
        DocumentStore store, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            return Problems.BadRequest($"pageSize must be between 1 and {MaxPageSize} (got {size}).");
        }

        var continuation = PageContinuation.TryParse(continuationToken);
        if (continuationToken is not null && continuation is null)
        {
            return Problems.BadRequest("continuationToken is not one this API gave out: pass the continuationToken of the previous page as it was, or leave it out for the first page.");
        }

        var page = await store.ListPageAsync(size, continuation, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DocumentList([.. page.Items.Select(DocumentResponse.From)], page.Next?.ToString()));
    }

    internal static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(string id, DocumentStore store, CancellationToken cancellationToken) =>
        DocumentIngestion.IsValidId(id) && await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } document
            ? TypedResults.Ok(DocumentResponse.From(document))
            : Problems.NotFound($"No document '{id}'. GET /api/documents lists the documents there are.");

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, DocumentStore store, DocumentIndex index, CancellationToken cancellationToken)
    {
        if (!DocumentIngestion.IsValidId(id) || !await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"No document '{id}' to delete. GET /api/documents lists the documents there are.");
        }

        index.Remove(id);
        return TypedResults.NoContent();
    }
}

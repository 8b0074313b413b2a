using DocServer.Functions.Contracts;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using DocServer.Functions.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Functions.Tests;

/// <summary>Bad requests get problem details a person can act on, and change nothing that is stored.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private AppFactory _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await AppFactory.StartAsync(new() { ["DocServer:MaxQuestionChars"] = "100" });
        _client = _app.CreateClient();
        var created = await _client.PostAsJsonAsync("/api/documents", new { id = "kept", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> Requests => new()
    {
        { "POST", "/api/ask", "{\"question\": ", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", "/api/ask", "{}", HttpStatusCode.BadRequest, "non-empty \"question\"" },
        { "POST", "/api/ask", "{\"question\": \"   \"}", HttpStatusCode.BadRequest, "non-empty \"question\"" },
        { "POST", "/api/ask", "{\"question\": \"" + new string('x', 101) + "\"}", HttpStatusCode.BadRequest, "limit is 100" },
        { "POST", "/api/documents", "{\"id\": \"kept\", \"content\": \"\"}", HttpStatusCode.BadRequest, "no content" },
        { "POST", "/api/documents", "{\"id\": \"kept\", \"content\": \"new text\", \"contentType\": \"pdf\"}", HttpStatusCode.BadRequest, "Unsupported contentType" },
        { "POST", "/api/documents", "{\"id\": \"Bad Id!\", \"content\": \"x\"}", HttpStatusCode.BadRequest, "must be 1-63 lowercase" },
        { "POST", "/api/documents", "{\"id\": \"kept\", \"content\": [1, 2]}", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", "/api/evidence", "{\"query\": \"notice\", \"results\": [{\"text\": \"x\"}]}", HttpStatusCode.BadRequest, "results[0] needs a \"docId\"" },
        { "GET", "/api/documents/nope", "", HttpStatusCode.NotFound, "No document 'nope'" },
        { "DELETE", "/api/documents/nope", "", HttpStatusCode.NotFound, "No document 'nope'" },
        { "GET", "/api/ask/0123456789abcdef0123456789abcdef", "", HttpStatusCode.NotFound, "never existed" },
        { "GET", "/api/digests/latest", "", HttpStatusCode.NotFound, "No digest has been made yet" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadRequest_GetsProblemDetailsAndChangesNothing(string method, string path, string body, HttpStatusCode status, string detail)
    {
        var before = await StoredStateAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await AppFactory.ReadAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(response);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoredStateAsync());
    }

    [Fact]
    public async Task TenMegabyteBody_Is413AndChangesNothing()
    {
        var before = await StoredStateAsync();
        var huge = "{\"id\": \"kept\", \"content\": \"" + new string('a', 10 * 1024 * 1024) + "\"}";

        var response = await _client.PostAsync("/api/documents", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("MaxRequestBytes", (await AppFactory.ReadAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(response)).Detail, StringComparison.Ordinal);
        Assert.Equal(before, await StoredStateAsync());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        var document = await _client.GetStringAsync("/api/openapi.json");

        Assert.Contains("\"/api/ask\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/documents/{id}\"", document, StringComparison.Ordinal);
    }

    /// <summary>The documents as stored, with their chunks' text and the original: what a bad request must not touch.</summary>
    private async Task<string> StoredStateAsync()
    {
        var documents = await _client.GetFromJsonAsync<DocumentList>("/api/documents?pageSize=1000", AppFactory.JsonOptions);
        return string.Join('|', documents!.Items.Select(d => $"{d.Id}:{d.IngestedAt:O}:{d.Chunks}:{d.Characters}"));
    }
}

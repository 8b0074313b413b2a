using DocServer.Functions.Contracts;
using System.Net;
using System.Net.Http.Json;
using DocServer.Functions.Ask;
using DocServer.Functions.Documents;
using DocServer.Storage.Documents;
using DocServer.Testing;

namespace DocServer.Functions.Tests;

public sealed class DocumentsTests
{
    [Theory]
    [InlineData("work-rules", EvidenceFixtures.KoreanLeaveRule, "연차휴가 신청 절차는?", "문서에서 이 질문에 대한 내용을 찾지 못했습니다.")]
    [InlineData("tenancy", EvidenceFixtures.EnglishTenancy, "What is the notice period for ending the tenancy?", "I could not find this in your documents.")]
    public async Task IngestAskDeleteAsk_AnswersFromTheDocumentThenSaysItIsGone(string id, string content, string question, string notFound)
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();

        var created = await client.PostAsJsonAsync("/api/documents", new { id, title = id, content, contentType = "text" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await AppFactory.ReadAsync<DocumentRecord>(created);
        Assert.Equal(id, document.Id);
        Assert.True(document.Chunks >= 2);

        var answer = await AppFactory.ReadAsync<AskResponse>(await client.PostAsJsonAsync("/api/ask", new { question }));
        Assert.True(answer.Found);
        Assert.False(answer.Extractive);
        Assert.NotEmpty(answer.Evidence);
        Assert.All(answer.Evidence, e => Assert.Equal(id, e.DocId));
        Assert.Equal([1], answer.Citations);
        Assert.DoesNotContain("[9]", answer.Answer, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/documents/{id}")).StatusCode);
        var after = await AppFactory.ReadAsync<AskResponse>(await client.PostAsJsonAsync("/api/ask", new { question }));
        Assert.False(after.Found);
        Assert.Equal(notFound, after.Answer);
        Assert.Empty(after.Evidence);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/documents/{id}")).StatusCode);
    }

    [Fact]
    public async Task Upload_MarkdownFile_IsChunkedBySectionAndListed()
    {
        await using var app = await AppFactory.StartAsync();
        using var client = app.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(File.ReadAllText(Path.Combine(AzuriteServer.RepositoryRoot(), "samples", "tenancy.md"))), "file", "tenancy.md" },
            { new StringContent("lease"), "id" },
        };

        var created = await client.PostAsync("/api/documents", form);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listed = await client.GetFromJsonAsync<DocumentList>("/api/documents", AppFactory.JsonOptions);
        var document = Assert.Single(listed!.Items);
        Assert.Null(listed.ContinuationToken);
        Assert.Equal("lease", document.Id);
        Assert.Equal("text/markdown", document.ContentType);
        Assert.Equal(3, document.Chunks);
    }

    [Fact]
    public async Task Ingest_SameIdAgain_ReplacesTheDocumentAndItsChunks()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/documents", new { id = "doc", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });

        await client.PostAsJsonAsync("/api/documents", new { id = "doc", content = EvidenceFixtures.EnglishBoiler, contentType = "text" });

        var answer = await AppFactory.ReadAsync<AskResponse>(await client.PostAsJsonAsync("/api/ask", new { question = "What is the notice period for ending the tenancy?" }));
        Assert.False(answer.Found);
        var boiler = await AppFactory.ReadAsync<AskResponse>(await client.PostAsJsonAsync("/api/ask", new { question = "How often must the boiler be serviced?" }));
        Assert.Contains(boiler.Evidence, e => e.Span.Contains("twelve months", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_PageSizeTwo_PagesThroughEveryDocumentOnce_AndRefusesATokenItDidNotGive()
    {
        await using var app = await AppFactory.StartAsync();
        using var client = app.CreateClient();
        foreach (var id in new[] { "c", "a", "e", "b", "d" })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/documents", new { id, content = $"Document {id}.", contentType = "text" })).StatusCode);
        }

        var ids = new List<string>();
        string? token = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await client.GetFromJsonAsync<DocumentList>($"/api/documents?pageSize=2{(token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token))}", AppFactory.JsonOptions);
            Assert.True(page!.Items.Count <= 2);
            ids.AddRange(page.Items.Select(d => d.Id));
            if ((token = page.ContinuationToken) is null)
            {
                break;
            }
        }

        Assert.Equal(["a", "b", "c", "d", "e"], ids);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/documents?continuationToken=made-up")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/documents?pageSize=5000")).StatusCode);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using DocServer.Testing;

namespace DocServer.Faults.Tests;

/// <summary>A corpus of malformed requests against every endpoint of the real app: never a 5xx, and nothing stored changes.</summary>
public sealed class MalformedRequestTests
{
    private const string Json = "application/json";

    public static TheoryData<string, string, string?, string?> Corpus() => new()
    {
        // method, path, content type (null: no body), body
        { "POST", "/api/ask", null, null },
        { "POST", "/api/ask", Json, "{" },
        { "POST", "/api/ask", Json, "[]" },
        { "POST", "/api/ask", Json, "null" },
        { "POST", "/api/ask", Json, "{\"question\": 123}" },
        { "POST", "/api/ask", Json, "{\"question\": \"\"}" },
        { "POST", "/api/ask", Json, "{\"question\": \"" + new string('x', 3000) + "\"}" },
        { "POST", "/api/ask", Json, "{\"question\": \"q\", \"async\": \"yes\"}" },
        { "POST", "/api/ask", "text/plain", "What is the notice period?" },
        { "POST", "/api/ask", "application/x-www-form-urlencoded", "question=hello" },
        { "POST", "/api/ask", Json, "{\"question\": \"\\ud800\"}" },
        { "GET", "/api/ask/not-a-guid", null, null },
        { "GET", "/api/ask/0123456789abcdef0123456789abcdef", null, null },
        { "DELETE", "/api/ask", null, null },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"docId\": \"d\", \"text\": \"t\", \"score\": \"NaN\"}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"docId\": \"d\", \"text\": \"t\", \"rerankScore\": 1e309}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"docId\": \"d\", \"text\": \"t\", \"score\": \"Infinity\"}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"docId\": \"d\", \"text\": \"t\", \"score\": 1e300}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"docId\": \"d\", \"text\": \"t\", \"score\": true}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": {\"docId\": \"d\"}}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"text\": \"t\"}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [{\"docId\": \"d\"}]}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"\", \"results\": []}" },
        { "POST", "/api/evidence", Json, "{\"query\": \"q\", \"results\": [" + string.Join(',', Enumerable.Repeat("{\"docId\": \"d\", \"text\": \"t\"}", 51)) + "]}" },
        { "POST", "/api/documents", Json, "{\"id\": \"UPPER\", \"content\": \"text\"}" },
        { "POST", "/api/documents", Json, "{\"id\": \"../etc/passwd\", \"content\": \"text\"}" },
        { "POST", "/api/documents", Json, "{\"id\": \"" + new string('a', 70) + "\", \"content\": \"text\"}" },
        { "POST", "/api/documents", Json, "{\"id\": \"empty\", \"content\": \"\"}" },
        { "POST", "/api/documents", Json, "{\"id\": \"pdf\", \"content\": \"x\", \"contentType\": \"pdf\"}" },
        { "POST", "/api/documents", Json, "{\"id\": \"big\", \"content\": \"" + new string('x', 1_000_001) + "\"}" },
        { "POST", "/api/documents", Json, "{\"id\": 5, \"content\": [1, 2]}" },
        { "POST", "/api/documents", "text/xml", "<document/>" },
        { "POST", "/api/documents", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nx\r\n--b--\r\n" },
        { "POST", "/api/documents", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n\r\n--b--\r\n" },
        { "POST", "/api/documents", "multipart/form-data; boundary=b", "not multipart at all" },
        { "GET", "/api/documents/NOPE!", null, null },
        { "GET", "/api/documents/missing", null, null },
        { "DELETE", "/api/documents/missing", null, null },
        { "DELETE", "/api/documents/%2e%2e", null, null },
        { "PUT", "/api/documents", Json, "{}" },
        { "GET", "/api/digests/nonexistent", null, null },
        { "GET", "/api/digests/..%2fsecrets", null, null },
        { "GET", "/api/digests/latest?format=pdf", null, null },
        { "POST", "/api/gate/status", null, null },
        { "POST", "/Extract", Json, "{" },
        { "POST", "/GateSweep", Json, "[]" },
        { "POST", "/Unknown", Json, "{}" },
    };

    [Fact]
    public async Task EveryMalformedRequest_IsAnsweredWithoutA5xx_WithProblemDetails_AndNothingStoredChanges()
    {
        await using var bed = await FaultBed.StartAsync();
        using var app = await bed.StartAppAsync();
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "tenancy", EvidenceFixtures.EnglishTenancy));
        Assert.Equal(HttpStatusCode.Created, await FaultBed.IngestAsync(app, "boiler", EvidenceFixtures.EnglishBoiler));
        // Their extractions run first, so the stored documents are what the corpus must leave unchanged.
        Assert.Empty(await FaultBed.WaitForSummariesAsync(app, ["tenancy", "boiler"], TimeSpan.FromSeconds(60)));
        var before = await app.GetStringAsync("/api/documents");
        var corpus = Corpus().Select(row => ((string)row[0], (string)row[1], (string?)row[2], (string?)row[3])).ToList();

        var answers = new List<string>();
        foreach (var (method, path, contentType, body) in corpus)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (contentType is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? string.Empty));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await app.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            answers.Add($"{method} {path[..Math.Min(path.Length, 40)]} -> {(int)response.StatusCode}");
            Assert.True((int)response.StatusCode < 500, $"{method} {path} {body?[..Math.Min(body.Length, 80)]} answered {(int)response.StatusCode}: {text}");
            if ((int)response.StatusCode >= 400 && text.Length > 0)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(text).RootElement.GetProperty("title").GetString()));
            }
        }

        Assert.True(corpus.Count >= 40);
        Assert.Equal(before, await app.GetStringAsync("/api/documents"));
        // Client errors are the caller's: nothing is logged at error level (the console marks those "fail:").
        var output = bed.Apps[0].Output;
        var failed = output.IndexOf("fail:", StringComparison.Ordinal);
        Assert.True(failed < 0, "logged at error level: " + (failed < 0 ? string.Empty : output[failed..Math.Min(output.Length, failed + 1500)]));
        Assert.DoesNotContain("Unhandled", bed.Apps[0].Output, StringComparison.Ordinal);
    }
}

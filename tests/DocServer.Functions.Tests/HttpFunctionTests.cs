using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DocServer.Functions.Ask;
using DocServer.Functions.Documents;
using DocServer.Functions.Extraction;
using DocServer.Functions.Health;
using DocServer.Functions.Hosting;
using DocServer.Functions.Page;
using DocServer.Functions.Telemetry;
using DocServer.Storage.Documents;
using DocServer.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DocServer.Functions.Tests;

/// <summary>
/// The HTTP functions called in-process as the isolated worker calls them: the [Function] method with an ASP.NET
/// Core HttpRequest (what the ASP.NET Core integration hands over), answering on its HttpResponse. Each must answer
/// what the standalone route answers, since both run the same handler.
/// </summary>
public sealed class HttpFunctionTests
{
    [Fact]
    public async Task Ask_JsonBody_AnswersWithCitedEvidence_AsTheStandaloneRouteDoes()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        await app.Function<DocumentsFunctions>().Ingest(Json(app, "POST", "/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }));

        var request = Json(app, "POST", "/api/ask", new { question = EvidenceFixtures.EnglishQuestion });
        await app.Function<AskFunctions>().Ask(request);

        Assert.True(request.HttpContext.Response.StatusCode == StatusCodes.Status200OK, Body(request));
        using var body = JsonDocument.Parse(Body(request));
        Assert.True(body.RootElement.GetProperty("found").GetBoolean());
        Assert.Equal("tenancy", body.RootElement.GetProperty("evidence")[0].GetProperty("docId").GetString());
        Assert.Equal(0, app.Mlx.Violations);
    }

    [Fact]
    public async Task Ask_MalformedJson_IsA400ProblemNamingTheFix()
    {
        await using var app = await AppFactory.StartAsync();
        var request = Raw(app, "POST", "/api/ask", "{\"question\": ", "application/json");

        await app.Function<AskFunctions>().Ask(request);

        Assert.Equal(StatusCodes.Status400BadRequest, request.HttpContext.Response.StatusCode);
        Assert.StartsWith("application/problem+json", request.HttpContext.Response.ContentType, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", Body(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskStream_WritesServerSentEventsEndingInDone()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        await app.Function<DocumentsFunctions>().Ingest(Json(app, "POST", "/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }));

        var request = Json(app, "POST", "/api/ask/stream", new { question = EvidenceFixtures.EnglishQuestion });
        await app.Function<AskFunctions>().AskStream(request);

        Assert.Equal("text/event-stream", request.HttpContext.Response.ContentType);
        var events = Body(request);
        Assert.Contains("event: evidence", events, StringComparison.Ordinal);
        Assert.Contains("event: done", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDocument_RouteIdFromTheHost_ReadsThatDocument_AndAnUnknownIdIsA404()
    {
        await using var app = await AppFactory.StartAsync();
        var documents = app.Function<DocumentsFunctions>();
        var ingest = Json(app, "POST", "/api/documents", new { id = "note-1", title = "Note", content = "The boiler code is 1234.", contentType = "text" });
        await documents.Ingest(ingest);
        Assert.Equal(StatusCodes.Status201Created, ingest.HttpContext.Response.StatusCode);

        var found = Raw(app, "GET", "/api/documents/note-1", null, null);
        await documents.Get(found, "note-1");
        var missing = Raw(app, "GET", "/api/documents/nothing", null, null);
        await documents.Get(missing, "nothing");

        Assert.Equal(StatusCodes.Status200OK, found.HttpContext.Response.StatusCode);
        Assert.Equal("Note", JsonDocument.Parse(Body(found)).RootElement.GetProperty("title").GetString());
        Assert.Equal(StatusCodes.Status404NotFound, missing.HttpContext.Response.StatusCode);
    }

    [Fact]
    public async Task Health_AnswersTheStandaloneReport()
    {
        await using var app = await AppFactory.StartAsync();
        var request = Raw(app, "GET", "/api/health", null, null);

        await app.Function<HealthFunction>().Health(request);

        Assert.Equal(StatusCodes.Status200OK, request.HttpContext.Response.StatusCode);
        Assert.Equal("healthy", JsonDocument.Parse(Body(request)).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Page_ServesTheIndexAtTheRoot_AndItsScript()
    {
        await using var app = await AppFactory.StartAsync();
        var pages = app.Function<PageFunctions>();
        var root = Raw(app, "GET", "/", null, null);
        var script = Raw(app, "GET", "/app.js", null, null);

        await pages.Page(root);
        await pages.Page(script);

        Assert.Equal(StatusCodes.Status200OK, root.HttpContext.Response.StatusCode);
        Assert.Contains("<html", Body(root), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(StatusCodes.Status200OK, script.HttpContext.Response.StatusCode);
        Assert.Contains("x-functions-key", Body(script), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryHttpFunction_AnswersAsTheStandaloneRouteDoes()
    {
        await using var app = await AppFactory.StartAsync();
        app.ModelAnswersSensibly();
        using var client = app.CreateClient();
        (await client.PostAsync("/api/documents", new StringContent(JsonSerializer.Serialize(new { id = "note", title = "Note", content = EvidenceFixtures.EnglishTenancy, contentType = "text" }), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var evidence = JsonSerializer.Serialize(new { query = "notice period", results = new[] { new { docId = "t", chunkId = "t:0", text = "Either party may end this tenancy by giving two months notice in writing.", rerankScore = 0.9 } } });
        (string Function, string Method, string Path, string? Body, (string, string?)[] Route)[] cases =
        [
            (FunctionNames.Ask, "POST", "/api/ask", "{\"question\": \"\"}", []),
            (FunctionNames.AskStream, "POST", "/api/ask/stream", "{}", []),
            (FunctionNames.GetAsk, "GET", "/api/ask/0123456789abcdef0123456789abcdef", null, [("id", "0123456789abcdef0123456789abcdef")]),
            (FunctionNames.Evidence, "POST", "/api/evidence", evidence, []),
            (FunctionNames.IngestDocument, "POST", "/api/documents", "{\"id\": \"UPPER\", \"content\": \"x\"}", []),
            (FunctionNames.ListDocuments, "GET", "/api/documents?pageSize=5", null, []),
            (FunctionNames.GetDocument, "GET", "/api/documents/note", null, [("id", "note")]),
            (FunctionNames.DeleteDocument, "DELETE", "/api/documents/missing", null, [("id", "missing")]),
            (FunctionNames.GateStatus, "GET", "/api/gate/status", null, []),
            (FunctionNames.ListDigests, "GET", "/api/digests", null, []),
            (FunctionNames.LatestDigest, "GET", "/api/digests/latest", null, []),
            (FunctionNames.GetDigest, "GET", "/api/digests/bad", null, [("id", "bad")]),
            (FunctionNames.Health, "GET", "/api/health", null, []),
            (FunctionNames.OpenApi, "GET", "/api/openapi.json", null, []),
        ];

        foreach (var (function, method, path, body, route) in cases)
        {
            using var standalone = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            });
            var request = Raw(app, method, path, body, body is null ? null : "application/json");
            await InvokeAsync(app, function, request, route);

            Assert.True((int)standalone.StatusCode == request.HttpContext.Response.StatusCode, $"{function}: standalone {(int)standalone.StatusCode}, function {request.HttpContext.Response.StatusCode}");
            Assert.Equal(standalone.Content.Headers.ContentType?.MediaType, request.HttpContext.Response.ContentType?.Split(';')[0]);
            var (expected, actual) = (Comparable(await standalone.Content.ReadAsStringAsync()), Comparable(Body(request)));
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{function}: the bodies differ:\n{expected?.ToJsonString()}\n{actual?.ToJsonString()}");
        }

        var httpFunctions = FunctionCatalog.All.Where(f => f.Trigger == FunctionDefinition.HttpTrigger && f.Name != FunctionNames.Page).Select(f => f.Name);
        Assert.Equal(httpFunctions.Order(), cases.Select(c => c.Function).Order());
    }

    [Fact]
    public async Task WorkerApp_StartedByTheHost_ComposesEveryFunctionOverTheSameServices()
    {
        var azurite = await AzuriteServer.GetAsync();
        var settings = AppSettings.For(azurite.ConnectionString, new Uri("http://127.0.0.1:1/v1"), "w" + Guid.NewGuid().ToString("N")[..12]);
        // The worker reads the host's switches from the process's own command line; given here as the setting they map to.
        string[] args = ["--functions-uri", "http://127.0.0.1:1/", "--Functions:Worker:HostEndpoint=http://127.0.0.1:1/", .. settings.Select(s => $"--{s.Key.Replace("__", ":", StringComparison.Ordinal)}={s.Value}")];
        Assert.True(FunctionsWorkerLaunch.IsStartedByFunctionsHost(args));

        using var worker = WorkerApp.CreateBuilder(args).Build();

        var classes = FunctionCatalog.All.Select(f => typeof(FunctionCatalog).Assembly.GetTypes().Single(t => t.GetMethods().Any(m =>
            m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).OfType<Microsoft.Azure.Functions.Worker.FunctionAttribute>().Any(a => a.Name == f.Name)))).Distinct().ToList();
        Assert.Equal(9, classes.Count);
        Assert.All(classes, type => Assert.NotNull(ActivatorUtilities.CreateInstance(worker.Services, type)));
        Assert.Empty(worker.Services.GetServices<IHostedService>().OfType<Durable.TaskHub.TaskHubWorkerHost>());
        Assert.Empty(worker.Services.GetServices<IHostedService>().OfType<TimerScheduler>());
        Assert.Same(worker.Services.GetRequiredService<FunctionInvoker>(), worker.Services.GetRequiredService<FunctionInvoker>());
    }

    /// <summary>Calls the [Function] method named <paramref name="function"/> as the worker does: the request, and route values by parameter name.</summary>
    private static Task InvokeAsync(AppFactory app, string function, HttpRequest request, (string Name, string? Value)[] route)
    {
        var method = typeof(FunctionCatalog).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Single(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).OfType<Microsoft.Azure.Functions.Worker.FunctionAttribute>().Any(a => a.Name == function));
        var target = ActivatorUtilities.CreateInstance(app.Services, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(HttpRequest) ? request : (object?)route.Single(r => r.Name == p.Name).Value).ToArray();
        return (Task)method.Invoke(target, arguments)!;
    }

    /// <summary>
    /// The body as JSON, less what differs between two requests: trace ids, timings, the OpenAPI servers, and health's
    /// index section (the background refresh may apply the ingest's change-log entry between the two requests).
    /// </summary>
    private static JsonNode? Comparable(string body)
    {
        if (body.StartsWith("event:", StringComparison.Ordinal) || body.Length == 0)
        {
            return JsonValue.Create(body.Length);
        }

        var node = JsonNode.Parse(body);
        Strip(node);
        return node;

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var volatileName in new[] { "traceId", "index", "servers", "ingestedAt", "gateWaitMs", "llmMs", "heldFor", "expiresIn", "oldestWait" })
                    {
                        o.Remove(volatileName);
                    }

                    foreach (var (_, child) in o.ToList())
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    private static HttpRequest Json(AppFactory app, string method, string path, object body) =>
        Raw(app, method, path, JsonSerializer.Serialize(body), "application/json");

    private static HttpRequest Raw(AppFactory app, string method, string path, string? body, string? contentType)
    {
        var context = new DefaultHttpContext { RequestServices = app.Services.CreateScope().ServiceProvider };
        // What Kestrel tells a handler about a request with a body (minimal-API binding reads a body only then).
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(body is not null));
        context.Request.Method = method;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    private static string Body(HttpRequest request)
    {
        var stream = (MemoryStream)request.HttpContext.Response.Body;
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }
}

using System.Net;
using System.Text.Json;
using DocServer.Functions.Hosting;
using DocServer.Storage.Documents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DocServer.Functions.Tests;

/// <summary>The app's error pipeline (AddErrorResponses, UseErrorResponses) in a host of its own, for failures a real store cannot be made to throw on demand.</summary>
public sealed class ErrorResponsesTests
{
    [Fact]
    public async Task ContendedWrite_Is409ProblemWithRetryAfter_NotA500()
    {
        await using var app = await StartAsync(() => throw new ContendedWriteException("Other writes to the same document kept changing it first (20 tries); nothing of this write was kept.") { Attempts = 20 });

        using var response = await app.GetTestClient().PostAsync("/write", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(ErrorResponses.ContendedRetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Contains("nothing of this write was kept", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Try again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnythingElse_Is500ProblemWithoutItsDetails()
    {
        await using var app = await StartAsync(() => throw new InvalidOperationException("secret internals"));

        using var response = await app.GetTestClient().PostAsync("/write", null);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("secret internals", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(Func<IResult> handler)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddErrorResponses();
        var app = builder.Build();
        app.UseErrorResponses();
        app.MapPost("/write", handler);
        await app.StartAsync();
        return app;
    }
}

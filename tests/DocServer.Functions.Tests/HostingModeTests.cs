using System.Net;
using DocServer.Core.Gates;
using DocServer.Functions.Configuration;
using DocServer.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DocServer.Functions.Tests;

/// <summary>How the one executable runs: as the Functions host's worker, or standalone (and then who may call it).</summary>
public sealed class HostingModeTests
{
    [Fact]
    public async Task StartedWithTheHostsGrpcEndpoint_RunsAsTheIsolatedWorker_NotStandalone()
    {
        // No host listens there: the worker's first act is to connect to it, and it fails on that, not on anything of ours.
        var settings = AppSettings.For((await AzuriteServer.GetAsync()).ConnectionString, ScriptedMlxServer.RefusedUrl(), "h" + Guid.NewGuid().ToString("N")[..12]);
        var grpc = $"http://127.0.0.1:{LoopbackPorts.Free()}/";
        using var app = AppProcess.Start(settings, arguments: ["--functions-uri", grpc, "--functions-worker-id", "w", "--functions-request-id", "r", "--functions-grpc-max-message-length", "2147483647"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await app.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains("Grpc", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("standalone mode", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on", app.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://[::]:{0}")]
    [InlineData("http://*:{0}")]
    public async Task Standalone_BoundBeyondLoopbackWithoutAKey_RefusesToStart_NamingTheSetting(string urls)
    {
        var settings = AppSettings.For((await AzuriteServer.GetAsync()).ConnectionString, ScriptedMlxServer.RefusedUrl(), "h" + Guid.NewGuid().ToString("N")[..12]);
        settings["ASPNETCORE_URLS"] = string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, LoopbackPorts.Free());
        using var app = AppProcess.Start(settings);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await app.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains("DocServer:FunctionKey", app.Output, StringComparison.Ordinal);
        Assert.Contains("listens beyond this machine", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_BoundBeyondLoopbackWithAKey_ApiNeedsTheKey_ThePageDoesNot()
    {
        var settings = AppSettings.For((await AzuriteServer.GetAsync()).ConnectionString, ScriptedMlxServer.RefusedUrl(), "h" + Guid.NewGuid().ToString("N")[..12]);
        settings["DocServer__FunctionKey"] = "a-long-household-key-0123456789";
        var port = LoopbackPorts.Free();
        using var app = AppProcess.Start(settings, $"http://0.0.0.0:{port}");
        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(60), $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var without = await http.GetAsync("/api/documents");
        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "/api/documents/anything") { Headers = { { "x-functions-key", "a-long-household-key-0123456788" } } };
        var wrongKey = await http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/documents") { Headers = { { "x-functions-key", "a-long-household-key-0123456789" } } };
        var withKey = await http.SendAsync(right);
        var asQuery = await http.GetAsync("/api/gate/status?code=a-long-household-key-0123456789");
        var page = await http.GetAsync("/");
        var script = await http.GetAsync("/app.js");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Contains("x-functions-key", await without.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.DoesNotContain("a-long-household-key", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_OnLoopback_NeedsNoKey()
    {
        var settings = AppSettings.For((await AzuriteServer.GetAsync()).ConnectionString, ScriptedMlxServer.RefusedUrl(), "h" + Guid.NewGuid().ToString("N")[..12]);
        var url = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        using var app = AppProcess.Start(settings, url);
        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/documents")).StatusCode);
    }

}

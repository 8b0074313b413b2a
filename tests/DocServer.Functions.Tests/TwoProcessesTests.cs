using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using DocServer.Functions.Ask;
using DocServer.Testing;

namespace DocServer.Functions.Tests;

/// <summary>Two real app processes on one Azurite: one gate for the one MLX host between them (G1).</summary>
public sealed class TwoProcessesTests
{
    [Fact]
    public async Task G1_TwoAppProcessesAskingAtOnce_ShareOneGateWithZeroViolations()
    {
        await using var mlx = await ScriptedMlxServer.StartAsync();
        mlx.ReplyWith(prompt => MlxReply.Text(AppFactory.SensibleReply(prompt), TimeSpan.FromMilliseconds(15)));
        var azurite = await AzuriteServer.GetAsync();
        var prefix = "p" + Guid.NewGuid().ToString("N")[..12];
        using var first = Start(azurite, mlx, prefix, out var firstUrl);
        using var second = Start(azurite, mlx, prefix, out var secondUrl);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            await WaitUntilUpAsync(http, firstUrl, first);
            await WaitUntilUpAsync(http, secondUrl, second);
            var created = await http.PostAsJsonAsync($"{firstUrl}/api/documents", new { id = "tenancy", content = EvidenceFixtures.EnglishTenancy, contentType = "text" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            await Task.Delay(500); // the second instance re-reads the document list every 200 ms here

            var asks = Enumerable.Range(0, 20).Select(i => http.PostAsJsonAsync($"{(i % 2 == 0 ? firstUrl : secondUrl)}/api/ask", new { question = EvidenceFixtures.EnglishQuestion }));
            var responses = await Task.WhenAll(asks);

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var answers = await Task.WhenAll(responses.Select(AppFactory.ReadAsync<AskResponse>));
            Assert.All(answers, a => Assert.True(a.Found && !a.Extractive, $"fell back: {a.SkipReasons}"));
            Assert.Equal(0, mlx.Violations);
            Assert.Equal(1, mlx.MostAtOnce);
            Assert.Equal(40, mlx.Requests.Count);
        }
        finally
        {
            Stop(first);
            Stop(second);
        }
    }

    private static Process Start(AzuriteServer azurite, ScriptedMlxServer mlx, string prefix, out string url)
    {
        url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "DocServer.Functions.dll"), "--urls", url },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["DocServer__StoragePrefix"] = prefix;
        start.Environment["DocServer__ExtractQueue"] = prefix + "-extract";
        start.Environment["DocServer__Endpoints__macmini__Url"] = mlx.BaseUrl.ToString();
        start.Environment["DocServer__Endpoints__macmini__Model"] = "gemma-test";
        start.Environment["DocServer__PromptsPath"] = Path.Combine(AzuriteServer.RepositoryRoot(), "prompts");
        start.Environment["DocServer__Standalone"] = "false";
        start.Environment["DocServer__IndexRefreshInterval"] = "00:00:00.200";
        start.Environment["DocServer__AskWaitBudget"] = "00:01:00";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilUpAsync(HttpClient http, string url, Process process)
    {
        for (var i = 0; i < 300; i++)
        {
            Assert.False(process.HasExited, $"the app at {url} exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                if ((await http.GetAsync($"{url}/api/gate/status")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the app at {url} did not start within 30 s");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

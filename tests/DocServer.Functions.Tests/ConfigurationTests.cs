using DocServer.Testing;

namespace DocServer.Functions.Tests;

/// <summary>A setting that cannot work stops the app at start-up, with a message naming it (real process, as a user sees it).</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("DocServer__Endpoints__macmini__Url", "not a url", "DocServer:Endpoints:macmini:Url must be an absolute http(s) URL")]
    [InlineData("DocServer__Endpoints__macmini__Model", "", "DocServer:Endpoints:macmini:Model must name the model")]
    [InlineData("DocServer__AskEndpoints", "macmini,macbook", "DocServer:AskEndpoints 'macbook' is not one of the configured endpoints")]
    [InlineData("DocServer__BackgroundEndpoints", "macmini, macmini", "DocServer:BackgroundEndpoints names an endpoint twice")]
    [InlineData("DocServer__AskOverflowEndpoint", "macmini", "DocServer:AskOverflowEndpoint 'macmini' must be an ungated endpoint")]
    [InlineData("DocServer__AskOrder", "Sometimes", "DocServer:AskOrder")]
    [InlineData("DocServerDigestSchedule", "0 7 * * *", "DocServerDigestSchedule '0 7 * * *' is not a 6-field cron expression")]
    [InlineData("DocServer__SynthesisFirstTokenTimeout", "00:00:00", "DocServer:SynthesisFirstTokenTimeout must be a positive duration")]
    [InlineData("DocServer__StoragePrefix", "Bad_Prefix", "DocServer:StoragePrefix must be 3-20 lowercase")]
    [InlineData("AzureWebJobsStorage", "", "No storage configured: set AzureWebJobsStorage")]
    [InlineData("DocServer__IndexRefreshInterval", "00:00:00", "DocServer:IndexRefreshInterval must be a positive duration")]
    public async Task BadSetting_StopsStartUpWithAMessageNamingIt(string variable, string value, string message)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = (await AzuriteServer.GetAsync()).ConnectionString,
            ["DocServer__Standalone"] = "false",
        };
        settings[variable] = value;
        using var app = AppProcess.Start(settings, "http://127.0.0.1:0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await app.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains(message, app.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("synthesis.txt", "Answer {question} from {evidence}.", "synthesis.txt': missing placeholder(s) {query}")]
    [InlineData("document_summary.txt", null, "document_summary.txt' does not exist")]
    public async Task BrokenOrMissingPromptFile_StopsStartUpNamingTheFile(string file, string? text, string message)
    {
        var prompts = Directory.CreateTempSubdirectory("docserver-prompts").FullName;
        foreach (var source in Directory.GetFiles(Path.Combine(AzuriteServer.RepositoryRoot(), "prompts")))
        {
            File.Copy(source, Path.Combine(prompts, Path.GetFileName(source)));
        }

        if (text is null)
        {
            File.Delete(Path.Combine(prompts, file));
        }
        else
        {
            File.WriteAllText(Path.Combine(prompts, file), text);
        }

        using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = (await AzuriteServer.GetAsync()).ConnectionString,
            ["DocServer__Standalone"] = "false",
            ["DocServer__PromptsPath"] = prompts,
        }, "http://127.0.0.1:0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await app.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains(message, app.Output, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using DocServer.Testing;

namespace DocServer.Functions.Tests;

/// <summary>A setting that cannot work stops the app at start-up, with a message naming it (real process, as a user sees it).</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("DocServer__Endpoints__macmini__Url", "not a url", "DocServer:Endpoints:macmini:Url must be an absolute http(s) URL")]
    [InlineData("DocServer__Endpoints__macmini__Model", "", "DocServer:Endpoints:macmini:Model must name the model")]
    [InlineData("DocServer__AskEndpoint", "macbook", "DocServer:AskEndpoint 'macbook' is not one of the configured endpoints")]
    [InlineData("DocServer__DigestSchedule", "0 7 * * *", "DocServer:DigestSchedule '0 7 * * *' is not a 6-field cron expression")]
    [InlineData("DocServer__LlmTimeout", "00:00:00", "DocServer:LlmTimeout must be a positive duration")]
    [InlineData("DocServer__StoragePrefix", "Bad_Prefix", "DocServer:StoragePrefix must be 3-20 lowercase")]
    [InlineData("AzureWebJobsStorage", "", "No storage configured: set AzureWebJobsStorage")]
    public async Task BadSetting_StopsStartUpWithAMessageNamingIt(string variable, string value, string message)
    {
        var azurite = await AzuriteServer.GetAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "DocServer.Functions.dll"), "--urls", "http://127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["DocServer__Standalone"] = "false";
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(message, await output + await errors, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Options;

namespace DocServer.Functions.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("DocServer:Endpoints:macmini:Url", "not a url", "DocServer:Endpoints:macmini:Url must be an absolute http(s) URL")]
    [InlineData("DocServer:Endpoints:macmini:Model", "", "DocServer:Endpoints:macmini:Model must name the model")]
    [InlineData("DocServer:AskEndpoint", "macbook", "DocServer:AskEndpoint 'macbook' is not one of the configured endpoints")]
    [InlineData("DocServer:DigestSchedule", "0 7 * * *", "DocServer:DigestSchedule '0 7 * * *' is not a 6-field cron expression")]
    [InlineData("DocServer:LlmTimeout", "00:00:00", "DocServer:LlmTimeout must be a positive duration")]
    [InlineData("DocServer:StoragePrefix", "Bad_Prefix", "DocServer:StoragePrefix must be 3-20 lowercase")]
    public async Task BadSetting_StopsStartUpWithAMessageNamingIt(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AppFactory.StartAsync(new() { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingStorage_StopsStartUpSayingWhatToSet()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => AppFactory.StartAsync(new() { ["AzureWebJobsStorage"] = string.Empty }));

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
    }
}

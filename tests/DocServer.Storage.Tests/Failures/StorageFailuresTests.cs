using Azure;

namespace DocServer.Storage.Tests.Failures;

/// <summary>Which failures are an outage (the app degrades and tries again) and which are answers to report.</summary>
public sealed class StorageFailuresTests
{
    [Theory]
    [InlineData(0, null, true)] // refused, reset, DNS
    [InlineData(503, "ServerBusy", true)]
    [InlineData(429, null, true)]
    [InlineData(404, "TableNotFound", true)] // our table is gone: created again, 503 meanwhile
    [InlineData(404, null, true)] // no storage service answered: another server on the port, a wrong endpoint
    [InlineData(404, "ResourceNotFound", false)] // storage answered: that row is not there
    [InlineData(404, "BlobNotFound", false)]
    [InlineData(409, "EntityAlreadyExists", false)]
    [InlineData(412, "ConditionNotMet", false)]
    public void IsUnavailable_ByStatusAndCode_TellsAnOutageFromAnAnswer(int status, string? code, bool unavailable)
    {
        var failure = new RequestFailedException(status, "storage said no", code, null);

        Assert.Equal(unavailable, StorageFailures.IsUnavailable(failure));
        // A library over the SDKs (the task hub's provider) wraps it; the verdict is the same.
        Assert.Equal(unavailable, StorageFailures.IsUnavailable(new InvalidOperationException("wrapped", failure)));
    }
}

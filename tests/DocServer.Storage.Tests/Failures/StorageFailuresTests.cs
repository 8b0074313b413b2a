using System.Net;
using System.Net.Sockets;
using Azure;
using DocServer.Storage.Documents;
using DocServer.Testing;

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

    [Fact]
    public async Task IsUnavailable_StorageTakesTheRequestButNeverAnswers_TheSdksNetworkTimeoutIsAnOutage()
    {
        // A listener that is never accepted from: the kernel completes each connection and takes the request, and
        // nothing answers, as with a storage emulator starved of CPU. The SDK's own network timeout ends each try;
        // what it throws then (a cancellation, not a TimeoutException) once answered an ingest with a 500.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var endpoint = $"http://127.0.0.1:{port}/{AzuriteServer.DevelopmentAccountName}";
        var account = StorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.DevelopmentAccountName};AccountKey={AzuriteServer.DevelopmentAccountKey};BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint}");
        var store = new DocumentStore(new StorageClients(account, new StorageRetry(TimeSpan.FromMilliseconds(300), 1, TimeSpan.FromMilliseconds(10))), "silent", TimeProvider.System);

        var read = await Assert.ThrowsAnyAsync<Exception>(() => store.GetAsync("tenancy", CancellationToken.None));
        var write = await Assert.ThrowsAnyAsync<Exception>(() => store.SaveAsync("tenancy", "tenancy", "text", "x", [], CancellationToken.None));

        Assert.True(StorageFailures.IsUnavailable(read), read.ToString());
        Assert.True(StorageFailures.IsUnavailable(write), write.ToString());
        Assert.Equal("it took the request and did not answer in time", StorageFailures.Describe(read));
    }

    [Fact]
    public void IsUnavailable_ACancellationWithoutATimeoutInIt_IsNotAnOutage()
    {
        Assert.False(StorageFailures.IsUnavailable(new TaskCanceledException("The operation was canceled.")));
        Assert.False(StorageFailures.IsUnavailable(new OperationCanceledException("The operation was canceled.")));
    }
}

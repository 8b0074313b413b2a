using DocServer.Storage;
using DocServer.Storage.Auth;

namespace DocServer.Storage.Tests.Auth;

/// <summary>
/// Known vectors: the expected strings follow the documented SharedKey rules; the expected signatures
/// were computed outside .NET (openssl dgst -sha256 -mac HMAC) with Azurite's published key.
/// </summary>
public sealed class SharedKeyStringToSignTests
{
    private const string Date = "Sat, 21 Nov 2026 09:00:00 GMT";

    [Fact]
    public void ForTable_EntityGet_IsVerbMd5TypeDateAndResource()
    {
        var request = Request("GET", "https://myaccount.table.core.windows.net/mytable(PartitionKey='a',RowKey='b')", ("x-ms-date", Date), ("Accept", "application/json"));

        var stringToSign = SharedKeyStringToSign.ForTable(request, "myaccount");

        Assert.Equal($"GET\n\n\n{Date}\n/myaccount/mytable(PartitionKey='a',RowKey='b')", stringToSign);
        Assert.Equal("KlmFddamScMRiq09g5Ty1m/kBx7AQXlLvwrAorZ3BGg=", new SharedKeyCredential("myaccount", StorageAccount.DevelopmentAccountKey).Sign(stringToSign));
    }

    [Fact]
    public void ForTable_KeepsOnlyTheCompQueryParameter()
    {
        var request = Request("post", "https://myaccount.table.core.windows.net/Tables?timeout=30&comp=acl", ("x-ms-date", Date), ("Content-Type", "application/json"));

        Assert.Equal($"POST\n\napplication/json\n{Date}\n/myaccount/Tables?comp=acl", SharedKeyStringToSign.ForTable(request, "myaccount"));
    }

    [Fact]
    public void ForTable_PathStyleEmulatorUrl_RepeatsTheAccount()
    {
        var request = Request("GET", "http://127.0.0.1:10002/devstoreaccount1/Tables", ("x-ms-date", Date));

        Assert.EndsWith("\n/devstoreaccount1/devstoreaccount1/Tables", SharedKeyStringToSign.ForTable(request, "devstoreaccount1"), StringComparison.Ordinal);
    }

    [Fact]
    public void ForBlobOrQueue_PutBlock_HasAllStandardHeadersCanonicalHeadersAndSortedQuery()
    {
        var request = Request(
            "PUT",
            "https://myaccount.blob.core.windows.net/mycontainer/myblob?comp=block&blockid=AAAA",
            ("Content-Length", "11"),
            ("Content-Type", "text/plain"),
            ("X-MS-Version", "2024-11-04"),
            ("x-ms-date", Date));

        var stringToSign = SharedKeyStringToSign.ForBlobOrQueue(request, "myaccount");

        Assert.Equal(
            $"PUT\n\n\n11\n\ntext/plain\n\n\n\n\n\n\nx-ms-date:{Date}\nx-ms-version:2024-11-04\n/myaccount/mycontainer/myblob\nblockid:AAAA\ncomp:block",
            stringToSign);
        Assert.Equal("O+kP6pdW5R1Kn7u4nvBu4jGVHIjCPUwQuIPoaoPHxB0=", new SharedKeyCredential("myaccount", StorageAccount.DevelopmentAccountKey).Sign(stringToSign));
    }

    [Fact]
    public void ForBlobOrQueue_ZeroLengthIsEmptyAndConditionalHeadersAreInPlace()
    {
        var request = Request(
            "DELETE",
            "https://myaccount.queue.core.windows.net/myqueue/messages/id1?popreceipt=a%2Bb",
            ("Content-Length", "0"),
            ("If-Match", "\"etag\""),
            ("x-ms-date", Date));

        Assert.Equal(
            $"DELETE\n\n\n\n\n\n\n\n\"etag\"\n\n\n\nx-ms-date:{Date}\n/myaccount/myqueue/messages/id1\npopreceipt:a+b",
            SharedKeyStringToSign.ForBlobOrQueue(request, "myaccount"));
    }

    [Fact]
    public void ForBlobOrQueue_RepeatedQueryParameter_JoinsSortedValues()
    {
        var request = Request("GET", "https://a.blob.core.windows.net/c?include=snapshots&include=metadata&restype=container&comp=list", ("x-ms-date", Date));

        Assert.EndsWith("/a/c\ncomp:list\ninclude:metadata,snapshots\nrestype:container", SharedKeyStringToSign.ForBlobOrQueue(request, "a"), StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_KeyThatIsNotBase64_IsRejectedNamingTheAccount()
    {
        var error = Assert.Throws<FormatException>(() => new SharedKeyCredential("acct", "not base64!"));

        Assert.Contains("acct", error.Message, StringComparison.Ordinal);
    }

    private static SignableRequest Request(string method, string uri, params (string Name, string Value)[] headers) =>
        new(method, new Uri(uri), headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase));
}

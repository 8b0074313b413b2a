using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using DocServer.Storage;
using DocServer.Storage.Auth;
using DocServer.Storage.Tables;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Tables;

/// <summary>The Table client against a real Azurite (which checks every SharedKey signature).</summary>
public sealed class TableClientTests
{
    [Fact]
    public async Task CreateIfNotExists_Twice_IsIdempotent()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();

        await table.CreateIfNotExistsAsync(CancellationToken.None);

        Assert.Null(await table.GetEntityAsync("p", "r", CancellationToken.None));
    }

    [Fact]
    public async Task Add_ThenGet_RoundTripsEveryPropertyType()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();
        var at = new DateTimeOffset(2026, 11, 21, 9, 30, 15, 123, TimeSpan.Zero);
        var id = Guid.NewGuid();
        var entity = new TableEntity("p's", "행 1")
        {
            ["Text"] = "근거 추출 'quoted'",
            ["Flag"] = true,
            ["Small"] = 42,
            ["Big"] = long.MaxValue - 7,
            ["Ratio"] = 0.25,
            ["Whole"] = 3.0,
            ["At"] = at,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 1, 2, 255 },
        };

        var etag = await table.AddEntityAsync(entity, CancellationToken.None);
        var read = await table.GetEntityAsync("p's", "행 1", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("근거 추출 'quoted'", read["Text"]);
        Assert.Equal(true, read["Flag"]);
        Assert.Equal(42, read["Small"]);
        Assert.Equal(long.MaxValue - 7, read["Big"]);
        Assert.Equal(0.25, read["Ratio"]);
        Assert.Equal(3.0, read["Whole"]);
        Assert.Equal(at, read["At"]);
        Assert.Equal(id, read["Id"]);
        Assert.Equal(new byte[] { 1, 2, 255 }, read["Bytes"]);
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task Add_ExistingRow_Fails409WithErrorCodeAndLeavesTheRow()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = "first" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = "second" }, CancellationToken.None));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Equal("first", (await table.GetEntityAsync("p", "r", CancellationToken.None))!["V"]);
    }

    [Fact]
    public async Task Update_WithCurrentETag_ReplacesAndWithStaleETag_Fails412()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();
        var first = await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = "1", ["Gone"] = "x" }, CancellationToken.None);

        var second = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = "2" }, first, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = "3" }, first, CancellationToken.None));

        Assert.NotEqual(first, second);
        Assert.Equal(412, stale.Status);
        Assert.Equal("UpdateConditionNotSatisfied", stale.ErrorCode);
        var read = await table.GetEntityAsync("p", "r", CancellationToken.None);
        Assert.Equal("2", read!["V"]);
        Assert.False(read.Properties.ContainsKey("Gone"));
    }

    [Fact]
    public async Task Upsert_InsertsThenReplaces()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = "a" }, CancellationToken.None);
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = "b" }, CancellationToken.None);

        Assert.Equal("b", (await table.GetEntityAsync("p", "r", CancellationToken.None))!["V"]);
    }

    [Fact]
    public async Task Delete_RespectsETagAndReportsMissingRows()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();
        var etag = await table.AddEntityAsync(new TableEntity("p", "r"), CancellationToken.None);
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = "changed" }, CancellationToken.None);

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", etag, CancellationToken.None));
        Assert.Equal(412, stale.Status);

        Assert.True(await table.DeleteEntityAsync("p", "r", "*", CancellationToken.None));
        Assert.False(await table.DeleteEntityAsync("p", "r", "*", CancellationToken.None));
    }

    [Fact]
    public async Task Query_WithFilterAndSmallPages_FollowsContinuations()
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();
        for (var i = 0; i < 25; i++)
        {
            await table.AddEntityAsync(new TableEntity(i % 2 == 0 ? "even" : "odd", $"{i:D3}") { ["N"] = i }, CancellationToken.None);
        }

        var first = await table.QueryPageAsync($"PartitionKey eq {TableKeys.Literal("even")}", 5, null, CancellationToken.None);
        var all = new List<TableEntity>();
        await foreach (var row in table.QueryAsync($"PartitionKey eq {TableKeys.Literal("even")} and N ge 4", 5, CancellationToken.None))
        {
            all.Add(row);
        }

        Assert.Equal(5, first.Entities.Count);
        Assert.NotNull(first.Next);
        Assert.Equal(Enumerable.Range(2, 11).Select(i => i * 2), all.Select(r => (int)r["N"]!));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    public async Task Get_KeyWithForbiddenCharacter_IsRejectedBeforeSending(string key)
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync("p", key, CancellationToken.None));
    }

    [Fact]
    public async Task AnyCall_WithWrongAccountKey_Fails403()
    {
        var server = await AzuriteServer.GetAsync();
        var wrongKey = server.Account with { SharedKey = new SharedKeyCredential(StorageAccount.DevelopmentAccountName, Convert.ToBase64String(new byte[64])) };
        var table = new TableClient(wrongKey, AzuriteServer.UniqueName("t"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync(CancellationToken.None));

        Assert.Equal(403, error.Status);
        Assert.Contains("Create table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidTableName_IsRejected() =>
        Assert.Throws<ArgumentException>(() => new TableClient(StorageConnectionString.Parse("UseDevelopmentStorage=true"), "1-bad"));

    [Fact]
    public async Task BlobSigning_ListContainersOnAzurite_IsAccepted()
    {
        // The Blob/Queue form of the signature, proven against the emulator before the Blob client exists.
        var account = (await AzuriteServer.GetAsync()).Account;
        var pipeline = StoragePipeline.Build(account, StorageService.Blob, null, null);
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        var uri = new RequestUriBuilder();
        uri.Reset(account.BlobEndpoint);
        uri.AppendQuery("comp", "list");
        message.Request.Uri = uri;

        await pipeline.SendAsync(message, CancellationToken.None);

        Assert.Equal(200, message.Response.Status);
    }
}

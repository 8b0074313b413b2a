using DocServer.Core.Entities;
using DocServer.Core.Gates;
using Azure.Data.Tables;

namespace DocServer.Storage.Tests.Gates;

/// <summary>A gate row that is not ours, is damaged, or is from a newer build: clear error, row untouched.</summary>
public sealed class BadRowTests
{
    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("{\"unrelated\":true}")]
    [InlineData("{\"v\":99,\"holders\":[],\"waiters\":[],\"nextSeq\":1,\"nextToken\":1,\"counters\":{\"grants\":0,\"releases\":0,\"expiries\":0,\"dropped\":0,\"cancels\":0}}")]
    public async Task Acquire_OnAGateRowItCannotRead_FailsClearlyAndLeavesTheRow(string data)
    {
        var bed = await AzuriteGateBed.CreateAsync(GatePolicy.Default);
        var etag = (await bed.RawTable.AddEntityAsync(new TableEntity("gate", AzuriteGateBed.Gate) { ["Kind"] = "gate", ["Data"] = data })).Headers.ETag;

        var error = await Assert.ThrowsAsync<GateStateException>(() => bed.Client().AcquireAsync(AzuriteGateBed.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(1), CancellationToken.None));
        await Assert.ThrowsAsync<GateStateException>(() => bed.Client().GetStatusAsync(AzuriteGateBed.Gate, CancellationToken.None));

        Assert.Contains(AzuriteGateBed.Gate, error.Message, StringComparison.Ordinal);
        TableEntity row = await bed.RawTable.GetEntityAsync<TableEntity>("gate", AzuriteGateBed.Gate);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(data, row["Data"]);
    }

    [Fact]
    public async Task Acquire_OnAForeignRowAtTheGatesKey_FailsClearlyAndLeavesTheRow()
    {
        var bed = await AzuriteGateBed.CreateAsync(GatePolicy.Default);
        var etag = (await bed.RawTable.AddEntityAsync(new TableEntity("gate", AzuriteGateBed.Gate) { ["Owner"] = "someone else's app" })).Headers.ETag;

        var error = await Assert.ThrowsAsync<EntityRowException>(() => bed.Client().SweepAllAsync(CancellationToken.None));

        Assert.Contains("not a 'gate' entity", error.Message, StringComparison.Ordinal);
        Assert.Equal(etag, (await bed.RawTable.GetEntityAsync<TableEntity>("gate", AzuriteGateBed.Gate)).Value.ETag);
    }
}

using DocServer.Core.Entities;
using DocServer.Storage.Entities;
using Azure.Data.Tables;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Entities;

public sealed class TableEntityStoreTests : EntityStoreContract
{
    protected override async Task<IEntityRowStore> CreateRowsAsync() => await (await AzuriteServer.GetAsync()).CreateRowStoreAsync();

    [Theory]
    [InlineData("Other", "data")]
    [InlineData("counter", null)]
    public async Task Read_RowThatIsNotOurEntity_IsRefusedAndLeftUntouched(string kind, string? data)
    {
        var azurite = await AzuriteServer.GetAsync();
        var rows = await azurite.CreateRowStoreAsync();
        var table = azurite.RawTable(rows.Name);
        var foreign = new TableEntity("counter", "c1") { ["Kind"] = kind };
        if (data is not null)
        {
            foreign["Data"] = data;
        }
        else
        {
            foreign["Something"] = 5;
        }

        var etag = (await table.AddEntityAsync(foreign)).Headers.ETag;
        var store = new EntityStore(rows, TimeProvider.System);

        var error = await Assert.ThrowsAsync<EntityRowException>(() =>
            store.UpdateAsync(new EntityKey("counter", "c1"), _ => new EntityChange<int>(0, "overwrite"), CancellationToken.None));

        Assert.Contains("left untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(etag, (await table.GetEntityAsync<TableEntity>("counter", "c1")).Value.ETag);
    }
}

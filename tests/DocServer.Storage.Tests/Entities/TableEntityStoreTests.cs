using DocServer.Core.Entities;
using DocServer.Storage.Entities;
using DocServer.Storage.Tables;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Entities;

public sealed class TableEntityStoreTests : EntityStoreContract
{
    protected override async Task<IEntityRowStore> CreateRowsAsync() =>
        new TableEntityRowStore(await (await AzuriteServer.GetAsync()).CreateTableAsync());

    [Theory]
    [InlineData("Other", "data")]
    [InlineData("counter", null)]
    public async Task Read_RowThatIsNotOurEntity_IsRefusedAndLeftUntouched(string kind, string? data)
    {
        var table = await (await AzuriteServer.GetAsync()).CreateTableAsync();
        var foreign = new TableEntity("counter", "c1") { ["Kind"] = kind };
        if (data is not null)
        {
            foreign["Data"] = data;
        }
        else
        {
            foreign["Something"] = 5;
        }

        var etag = await table.AddEntityAsync(foreign, CancellationToken.None);
        var store = new EntityStore(new TableEntityRowStore(table), TimeProvider.System);

        var error = await Assert.ThrowsAsync<EntityRowException>(() =>
            store.UpdateAsync(new EntityKey("counter", "c1"), _ => new EntityChange<int>(0, "overwrite"), CancellationToken.None));

        Assert.Contains("left untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(etag, (await table.GetEntityAsync("counter", "c1", CancellationToken.None))!.ETag);
    }
}

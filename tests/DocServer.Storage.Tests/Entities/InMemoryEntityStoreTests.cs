using DocServer.Storage.Entities;

namespace DocServer.Storage.Tests.Entities;

public sealed class InMemoryEntityStoreTests : EntityStoreContract
{
    protected override Task<IEntityRowStore> CreateRowsAsync() => Task.FromResult<IEntityRowStore>(new InMemoryEntityRowStore());
}

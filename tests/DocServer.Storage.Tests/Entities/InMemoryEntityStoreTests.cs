using DocServer.Storage.Entities;
using DocServer.Testing;

namespace DocServer.Storage.Tests.Entities;

public sealed class InMemoryEntityStoreTests : EntityStoreContract
{
    protected override Task<IEntityRowStore> CreateRowsAsync() => Task.FromResult<IEntityRowStore>(new InMemoryEntityRowStore());
}

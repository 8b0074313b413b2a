using DocServer.Core.Entities;
using DocServer.Storage.Entities;

namespace DocServer.Storage.Tests.Entities;

/// <summary>
/// What every entity store must do, run against the in-memory twin and against Table storage on
/// Azurite. A twin that passes this suite is fit to stand in for the real thing in unit tests.
/// </summary>
public abstract class EntityStoreContract
{
    private static readonly EntityKey Key = new("counter", "c1");

    protected abstract Task<IEntityRowStore> CreateRowsAsync();

    /// <summary>A counter's next value: what each concurrent caller in these tests applies.</summary>
    private static EntityChange<int> Increment(string? current)
    {
        var value = int.Parse(current ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
        return new EntityChange<int>(value, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Read_EntityNeverWritten_IsNull()
    {
        var store = new EntityStore(await CreateRowsAsync(), TimeProvider.System);

        Assert.Null(await store.ReadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Update_NewEntity_InsertsAndAnswers()
    {
        var store = new EntityStore(await CreateRowsAsync(), TimeProvider.System);

        var update = await store.UpdateAsync(Key, current => new EntityChange<string?>(current, "1"), CancellationToken.None);

        Assert.Null(update.Result);
        Assert.True(update.Written);
        Assert.Equal("1", await store.ReadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Update_ThatChangesNothing_WritesNothing()
    {
        var rows = await CreateRowsAsync();
        var store = new EntityStore(rows, TimeProvider.System);
        await store.UpdateAsync(Key, _ => new EntityChange<int>(0, "same"), CancellationToken.None);
        var before = await rows.ReadAsync(Key, CancellationToken.None);

        var update = await store.UpdateAsync(Key, current => new EntityChange<string?>(current, null), CancellationToken.None);

        Assert.False(update.Written);
        Assert.Equal("same", update.Result);
        Assert.Equal(before, await rows.ReadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Update_WhoseOperationThrows_LeavesTheRowUntouched()
    {
        var rows = await CreateRowsAsync();
        var store = new EntityStore(rows, TimeProvider.System);
        await store.UpdateAsync(Key, _ => new EntityChange<int>(0, "kept"), CancellationToken.None);
        var before = await rows.ReadAsync(Key, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.UpdateAsync<int>(Key, _ => throw new InvalidOperationException("bad state"), CancellationToken.None));

        Assert.Equal(before, await rows.ReadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Update_ConcurrentIncrementsFromThreeStores_EachAppliedExactlyOnce()
    {
        var rows = await CreateRowsAsync();
        var stores = Enumerable.Range(0, 3).Select(_ => new EntityStore(rows, TimeProvider.System)).ToList();
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();

        await Task.WhenAll(Enumerable.Range(0, 45).Select(i => Task.Run(async () =>
        {
            var update = await stores[i % 3].UpdateAsync(Key, Increment, CancellationToken.None);
            seen.Add(update.Result);
        })));

        Assert.Equal("45", await stores[0].ReadAsync(Key, CancellationToken.None));
        // Every committed answer is distinct: no two callers were told they made the same step.
        Assert.Equal(Enumerable.Range(1, 45), seen.Order());
    }

    [Fact]
    public async Task Update_ManyConcurrentUpdatesThroughOneStore_EachAppliedExactlyOnce()
    {
        // One store (one cache) under many concurrent callers, as one app instance serving many asks:
        // cache evictions by losers must never break the winners.
        var store = new EntityStore(await CreateRowsAsync(), TimeProvider.System);
        var random = new Random(20261121);
        var delays = Enumerable.Range(0, 64).Select(_ => random.Next(0, 20)).ToList();

        var results = await Task.WhenAll(delays.Select(delay => Task.Run(async () =>
        {
            await Task.Delay(delay);
            return (await store.UpdateAsync(Key, Increment, CancellationToken.None)).Result;
        })));

        Assert.Equal(Enumerable.Range(1, 64), results.Order());
        Assert.Equal("64", await store.ReadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Update_FromAStaleCachedCopy_IsRedoneOnTheFreshRow()
    {
        var rows = await CreateRowsAsync();
        var a = new EntityStore(rows, TimeProvider.System);
        var b = new EntityStore(rows, TimeProvider.System);
        await a.UpdateAsync(Key, _ => new EntityChange<int>(0, "a1"), CancellationToken.None);
        await b.UpdateAsync(Key, current => new EntityChange<int>(0, current + ",b1"), CancellationToken.None);

        var update = await a.UpdateAsync(Key, current => new EntityChange<string?>(current, current + ",a2"), CancellationToken.None);

        Assert.Equal("a1,b1", update.Result);
        Assert.Equal(1, update.Conflicts);
        Assert.Equal("a1,b1,a2", await b.ReadAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task Update_NoChangeJudgedOnAStaleCachedCopy_AsksTheStore()
    {
        var rows = await CreateRowsAsync();
        var a = new EntityStore(rows, TimeProvider.System);
        var b = new EntityStore(rows, TimeProvider.System);
        await a.UpdateAsync(Key, _ => new EntityChange<int>(0, "old"), CancellationToken.None);
        await b.UpdateAsync(Key, _ => new EntityChange<int>(0, "new"), CancellationToken.None);

        var update = await a.UpdateAsync(Key, current => new EntityChange<string?>(current, null), CancellationToken.None);

        Assert.Equal("new", update.Result);
    }

    [Fact]
    public async Task Update_UncontendedWithWarmCache_CostsOneRoundTrip()
    {
        var store = new EntityStore(await CreateRowsAsync(), TimeProvider.System);
        await store.UpdateAsync(Key, _ => new EntityChange<int>(0, "1"), CancellationToken.None);

        var update = await store.UpdateAsync(Key, _ => new EntityChange<int>(0, "2"), CancellationToken.None);

        Assert.Equal(1, update.RoundTrips);
    }

    [Fact]
    public async Task Rows_InsertOverExistingOrReplaceWithStaleETag_LoseTheRaceWithoutThrowing()
    {
        var rows = await CreateRowsAsync();
        var etag = await rows.TryInsertAsync(Key, "1", CancellationToken.None);
        Assert.NotNull(etag);

        Assert.Null(await rows.TryInsertAsync(Key, "again", CancellationToken.None));
        var newer = await rows.TryReplaceAsync(Key, "2", etag, CancellationToken.None);
        Assert.NotNull(newer);
        Assert.Null(await rows.TryReplaceAsync(Key, "3", etag, CancellationToken.None));
        Assert.Null(await rows.TryReplaceAsync(new EntityKey("counter", "missing"), "x", newer, CancellationToken.None));
        Assert.Equal(new VersionedRow("2", newer), await rows.ReadAsync(Key, CancellationToken.None));
    }
}

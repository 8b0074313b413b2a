using Azure;
using DocServer.Storage.Documents;

namespace DocServer.Storage.Tests.Stores;

/// <summary>The one retry of writes that another writer beat (409/412), and what it says when it gives up.</summary>
public sealed class ConflictRetryTests
{
    [Theory]
    [InlineData(409, "EntityAlreadyExists")]
    [InlineData(412, "UpdateConditionNotSatisfied")]
    public async Task RunAsync_BeatenEveryTime_GivesUpAfterMaxAttempts_WithAContendedWriteAroundTheLastConflict(int status, string code)
    {
        var attempts = 0;
        var last = new RequestFailedException(status, "another writer", code, null);

        var error = await Assert.ThrowsAsync<ContendedWriteException>(() => ConflictRetry.RunAsync<int>(() =>
        {
            attempts++;
            throw attempts == ConflictRetry.MaxAttempts ? last : new RequestFailedException(status, "another writer", code, null);
        }, TimeProvider.System, CancellationToken.None));

        Assert.Equal(ConflictRetry.MaxAttempts, attempts);
        Assert.Equal(ConflictRetry.MaxAttempts, error.Attempts);
        Assert.Same(last, error.InnerException);
        Assert.Contains("nothing of this write was kept", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BeatenTwiceThenWins_ReturnsWhatTheThirdTryWrote()
    {
        var attempts = 0;

        var written = await ConflictRetry.RunAsync(() => ++attempts < 3 ? throw new RequestFailedException(412, "another writer", "UpdateConditionNotSatisfied", null) : Task.FromResult(attempts), TimeProvider.System, CancellationToken.None);

        Assert.Equal(3, written);
    }

    [Fact]
    public async Task RunAsync_AnOutage_IsNotRetriedHereButThrownAsItIs()
    {
        var attempts = 0;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => ConflictRetry.RunAsync<int>(() =>
        {
            attempts++;
            throw new RequestFailedException(503, "busy", "ServerBusy", null);
        }, TimeProvider.System, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal(503, error.Status);
    }
}

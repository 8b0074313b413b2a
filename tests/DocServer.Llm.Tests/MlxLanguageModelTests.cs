using DocServer.Core.Llm;
using DocServer.Llm.Mlx;
using DocServer.Testing;

namespace DocServer.Llm.Tests;

public sealed class MlxLanguageModelTests
{
    [Fact]
    public async Task CompleteAsync_CancelledWhileATokenIsHandled_ClosesTheConnectionInsteadOfReadingOnTheRestOfTheReply()
    {
        await using var server = await ScriptedMlxServer.StartAsync();
        server.ReplyWith(_ => MlxReply.Trickle("word ", 100, TimeSpan.FromMilliseconds(50)));
        var model = new MlxLanguageModel(new MlxEndpoint("macmini", server.BaseUrl, "gemma-test"));
        using var caller = new CancellationTokenSource();
        var seen = 0;

        // Cancelled inside the token callback, so no read is pending to be aborted by the cancel. The reply must still
        // end on the host at once: HttpClient would otherwise read an unfinished reply on (up to 1 MB or 2 s) to reuse
        // its connection, and the host would go on generating after the gate had passed to the next caller.
        var request = new LanguageModelRequest("Say words.", 500)
        {
            OnText = _ =>
            {
                if (++seen == 2)
                {
                    caller.Cancel();
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.CompleteAsync(request, caller.Token));
        await Eventually.HoldsAsync(() => Task.FromResult(server.Abandoned == 1), "the host to see the reply abandoned", TimeSpan.FromSeconds(10));

        // Two pieces read, perhaps one more in flight; a drained reply goes on for some forty (2 s of 50 ms pieces).
        Assert.InRange(server.PiecesBeforeAbandon.Single(), 2, 4);
    }
}

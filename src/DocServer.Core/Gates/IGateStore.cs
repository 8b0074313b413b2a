namespace DocServer.Core.Gates;

/// <summary>
/// Where the gates live, shared by every instance of the app: the Durable entity in the app, an in-memory
/// twin in tests (both pass the same contract tests). Commands are applied one at a time per gate.
/// </summary>
public interface IGateStore
{
    /// <summary>Applies <paramref name="command"/> and answers with its result and the state it left.</summary>
    Task<GateStoreReply<TResult>> ApplyAsync<TResult>(string gate, GateCommand<TResult> command, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="command"/> without waiting for its answer (a waiter's keep-alive, a nudge).</summary>
    Task SendAsync(string gate, GateCommand command, CancellationToken cancellationToken);

    /// <summary>The gate as last stored; <see cref="GateState.Empty"/> when it was never used. Never writes.</summary>
    Task<GateState> ReadAsync(string gate, CancellationToken cancellationToken);
}

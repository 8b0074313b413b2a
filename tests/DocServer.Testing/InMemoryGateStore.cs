using System.Collections.Concurrent;
using DocServer.Core.Gates;

namespace DocServer.Testing;

/// <summary>
/// The gates in memory, for tests of the gate client without a task hub: each gate's commands are applied one at
/// a time under a lock, as the entity applies its operations. It passes the same contract tests as the entity
/// (<c>GateStoreContract</c>). Optional faults make a test's "storage" fail on demand.
/// </summary>
public sealed class InMemoryGateStore(GateCatalog catalog, TimeProvider time) : IGateStore
{
    private readonly ConcurrentDictionary<string, GateState> _gates = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>When set, every call throws this (a storage outage in tests).</summary>
    public Exception? Failure { get; set; }

    public int Applied { get; private set; }

    /// <summary>
    /// When set, a command that waits for its answer is applied, then its caller gets this instead of the answer: a
    /// <see cref="TimeoutException"/> for an entity that applied it after its caller gave up, a storage failure for a
    /// request that timed out (or ran out of retries) after storage had taken the signal.
    /// </summary>
    public Exception? FailsAfterApplying { get; set; }

    /// <summary>Applies the command as the entity does: run, keep the state, answer with the result as it travels (JSON).</summary>
    public Task<GateStoreReply<TResult>> ApplyAsync<TResult>(string gate, GateCommand<TResult> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var outcome = Commit(gate, command, cancellationToken);
        if (FailsAfterApplying is { } failure)
        {
            throw failure;
        }

        return Task.FromResult(new GateStoreReply<TResult>(command.ReadResult(outcome.ResultJson), outcome.State, outcome.Effects));
    }

    public Task SendAsync(string gate, GateCommand command, CancellationToken cancellationToken)
    {
        Commit(gate, command, cancellationToken);
        return Task.CompletedTask;
    }

    public Task<GateState> ReadAsync(string gate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfFailing();
        return Task.FromResult(_gates.GetValueOrDefault(gate, GateState.Empty));
    }

    /// <summary>True when no command ever reached <paramref name="gate"/>.</summary>
    public bool IsUntouched(string gate) => !_gates.ContainsKey(gate);

    /// <summary>Puts a state in place, as a test's setup (never through the machine).</summary>
    public void Put(string gate, GateState state) => _gates[gate] = state;

    private GateCommandOutcome Commit(string gate, GateCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfFailing();
        lock (_lock)
        {
            var outcome = command.Run(catalog.Machine(gate), _gates.GetValueOrDefault(gate, GateState.Empty), time.GetUtcNow());
            _gates[gate] = outcome.State;
            Applied++;
            return outcome;
        }
    }

    private void ThrowIfFailing()
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}

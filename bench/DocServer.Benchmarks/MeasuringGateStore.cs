using DocServer.Core.Gates;

namespace DocServer.Benchmarks;

/// <summary>Counts what a gate client asks of its store: operations (applied or sent) and reads.</summary>
internal sealed class MeasuringGateStore(IGateStore inner) : IGateStore
{
    private long _operations;
    private long _reads;

    public long Operations => Interlocked.Read(ref _operations);

    public long Reads => Interlocked.Read(ref _reads);

    public long RoundTrips => Operations + Reads;

    public void Reset()
    {
        Interlocked.Exchange(ref _operations, 0);
        Interlocked.Exchange(ref _reads, 0);
    }

    public Task<GateStoreReply<TResult>> ApplyAsync<TResult>(string gate, GateCommand<TResult> command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _operations);
        return inner.ApplyAsync(gate, command, cancellationToken);
    }

    public Task SendAsync(string gate, GateCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _operations);
        return inner.SendAsync(gate, command, cancellationToken);
    }

    public Task<GateState> ReadAsync(string gate, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.ReadAsync(gate, cancellationToken);
    }
}

using System.Collections.Concurrent;

namespace DocServer.Core.Gates;

/// <summary>
/// The in-process fast path: when an operation of this process grants a ticket that a waiter of this
/// same process holds, the waiter is woken with its lease at once instead of at its next poll.
/// </summary>
internal sealed class GateWaitSignals
{
    private readonly ConcurrentDictionary<(string Gate, string Id), TaskCompletionSource<LeaseGranted>> _waiting = new();

    public Task<LeaseGranted> Register(string gate, string id) =>
        _waiting.GetOrAdd((gate, id), _ => new TaskCompletionSource<LeaseGranted>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Unregister(string gate, string id) => _waiting.TryRemove((gate, id), out _);

    public void Granted(string gate, LeaseGranted granted)
    {
        if (_waiting.TryGetValue((gate, granted.Lease.Id), out var signal))
        {
            signal.TrySetResult(granted);
        }
    }
}

namespace DocServer.Core.Gates;

/// <summary>
/// A granted slot at a gate. It renews itself every third of the lease TTL while held, fires
/// <see cref="LostToken"/> if a renewal finds the lease gone (the holder must stop its call: another
/// may hold the slot now), and releases on dispose, which hands the slot to the next waiter (or, G11,
/// keeps the request's place when it announced another call).
/// </summary>
public sealed class GateLease : IAsyncDisposable
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    private readonly GateClient _client;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly GateRequest? _request;
    private GateHolder _holder;
    private Task _renewing = Task.CompletedTask;
    private int _disposed;

    internal GateLease(GateClient client, string gate, GateHolder holder, TimeSpan waited, GateRequest? request = null)
    {
        _request = request;
        _client = client;
        Gate = gate;
        _holder = holder;
        Waited = waited;
    }

    public string Gate { get; }

    public string Id => _holder.Id;

    /// <summary>Grows with every grant of this gate: a downstream that sees a smaller token than before sees a stale holder.</summary>
    public long FencingToken => _holder.FencingToken;

    public GatePriority Priority => _holder.Priority;

    /// <summary>When the request joined the queue (equal to <see cref="GrantedAt"/> if it never queued).</summary>
    public DateTimeOffset EnqueuedAt => _holder.EnqueuedAt;

    public DateTimeOffset GrantedAt => _holder.GrantedAt;

    public DateTimeOffset ExpiresAt => Volatile.Read(ref _holder).ExpiresAt;

    public TimeSpan Waited { get; }

    public CancellationToken LostToken => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Stops renewing and releases. Safe to call twice; a lost lease is not released (it is not ours).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        if (!IsLost)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    internal void StartRenewing() => _renewing = RenewLoopAsync();

    private async Task RenewLoopAsync()
    {
        var ttl = _client.Catalog.Machine(Gate).Policy.LeaseTtl;
        var retry = ttl / 10;
        var time = _client.Time;
        while (true)
        {
            // Renew once a third of the TTL has passed since the last grant or renewal.
            var due = ExpiresAt - (ttl * 2 / 3) - time.GetUtcNow();
            try
            {
                await Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, time, _stop.Token).ConfigureAwait(false);
                var holder = _holder;
                var renewed = await _client.ApplyAsync(Gate, new RenewCommand(holder.Id, holder.FencingToken), _stop.Token).ConfigureAwait(false);
                if (renewed.Result.Lease is { } lease)
                {
                    Volatile.Write(ref _holder, lease);
                    continue;
                }

                await MarkLostAsync(renewed.Result.Outcome.ToString()).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Storage trouble: keep trying until the lease would have run out, then give it up
                // rather than run on with a slot that may already be someone else's.
                GateLog.RenewFailed(_client.Logger, ex, Gate, FencingToken);
                if (time.GetUtcNow() >= ExpiresAt)
                {
                    await MarkLostAsync("renewal failed until expiry").ConfigureAwait(false);
                    return;
                }

                try
                {
                    await Task.Delay(retry, time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task MarkLostAsync(string reason)
    {
        GateLog.LeaseLost(_client.Logger, Gate, FencingToken, reason);
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout, _client.Time);
        try
        {
            var holder = _holder;
            var keepPlaceFor = _request?.PlaceToKeep();
            var released = await _client.ApplyAsync(Gate, new ReleaseCommand(holder.Id, holder.FencingToken, keepPlaceFor), timeout.Token).ConfigureAwait(false);
            if (released.Result.Outcome == ReleaseOutcome.Released)
            {
                if (keepPlaceFor is not null)
                {
                    _request!.PlaceKept(_client, Gate, released.Result.KeptPlace);
                }

                var held = _client.Time.GetUtcNow() - GrantedAt;
                GateLog.Released(_client.Logger, Gate, held.TotalMilliseconds, Priority, FencingToken);
                _client.Metrics?.GateHeld(Gate, Priority, held);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not hidden: logged, and the lease runs out within one TTL, which is exactly what a crash costs.
            GateLog.ReleaseFailed(_client.Logger, ex, Gate, FencingToken);
        }
    }
}

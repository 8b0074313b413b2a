namespace DocServer.Core.Gates;

/// <summary>
/// One user request's passage through the gates: when it arrived (G11: its calls are served in that
/// order, not each call's own), and the place it keeps between one call and the next, so an ask that
/// has its evidence gets its synthesis before a later ask starts. Dispose it when the request is done:
/// a place kept for a call that never came is given back at once instead of blocking its gate.
/// </summary>
public sealed class GateRequest(DateTimeOffset? origin) : IAsyncDisposable
{
    private static readonly TimeSpan GiveBackTimeout = TimeSpan.FromSeconds(10);

    private (GateClient Client, string Gate, GateHolder? Granted)? _kept;

    /// <summary>When the request arrived (G11); null: each call is served by its own arrival.</summary>
    public DateTimeOffset? Origin { get; } = origin;

    /// <summary>
    /// A lease already granted for this request's first call (an orchestration's turn, pushed to it): that call
    /// claims it instead of queuing, and queues as usual when it is gone (<see cref="GateMachine.Claim"/>).
    /// Whoever was granted it releases it after the call as well, so a grant nobody claimed is not left to expire.
    /// </summary>
    public GateGrant? Grant { get; private set; }

    /// <summary>Told where the request stands while one of its calls waits: when it queues, and whenever its place changes.</summary>
    public Action<GateWaitUpdate>? OnWaiting { get; init; }

    /// <summary>
    /// Set by whoever runs the request when the next call is followed by another: its lease, on release,
    /// leaves a ticket for the request in its place (see <see cref="GateMachine.Release"/>).
    /// </summary>
    public bool KeepPlaceAfterCall { get; set; }

    /// <summary>The id the request's next ticket goes by, on every gate of its pool; a kept place already has it.</summary>
    internal string NextTicketId { get; private set; } = NewId();

    /// <summary>The gate holding a place for the next call, if any: a pool acquisition tries it first.</summary>
    internal string? KeptGate => _kept?.Gate;

    /// <summary>The kept place's lease when the release that kept it also granted it: the next call needs no round trip.</summary>
    internal GateHolder? KeptGrant => _kept?.Granted;

    /// <summary>A lease of this request was granted: the ticket is used, the next call goes by a new id.</summary>
    internal void Granted()
    {
        _kept = null;
        NextTicketId = NewId();
    }

    /// <summary>A request whose first call runs on a lease granted elsewhere.</summary>
    public static GateRequest WithGrant(GateGrant? grant) => new(null) { Grant = grant };

    /// <summary>The grant, once: a later call of the request queues as usual.</summary>
    internal GateGrant? TakeGrant()
    {
        var grant = Grant;
        Grant = null;
        return grant;
    }

    /// <summary>The id a releasing lease leaves in its place, or null when no further call was announced.</summary>
    internal string? PlaceToKeep() => KeepPlaceAfterCall ? NextTicketId : null;

    internal void PlaceKept(GateClient client, string gate, GateHolder? granted) => _kept = (client, gate, granted);

    /// <summary>Gives back a place that no call came for (the synthesis needed no model, the ask failed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_kept is not { } kept)
        {
            return;
        }

        _kept = null;
        using var timeout = new CancellationTokenSource(GiveBackTimeout, kept.Client.Time);
        try
        {
            await kept.Client.ApplyAsync(kept.Gate, new CancelCommand(NextTicketId), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Logged, not hidden: an unclaimed place is granted and then expires within one lease TTL.
            GateLog.ReleaseFailed(kept.Client.Logger, ex, kept.Gate, 0);
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}

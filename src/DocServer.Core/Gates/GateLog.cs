using Microsoft.Extensions.Logging;

namespace DocServer.Core.Gates;

/// <summary>The gate's log lines, with the fields the seed logged: wait ms, queue length, held ms, reason.</summary>
internal static partial class GateLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "gate {Gate} dispatch priority={Priority} wait_ms={WaitMs:F0} queue_len={QueueLength} token={FencingToken}")]
    public static partial void Dispatched(ILogger logger, string gate, GatePriority priority, double waitMs, int queueLength, long fencingToken);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "gate {Gate} background waiter starved wait_ms={WaitMs:F0} priority={Priority} queue_len={QueueLength}")]
    public static partial void Starving(ILogger logger, string gate, GatePriority priority, double waitMs, int queueLength);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "gate {Gate} release held_ms={HeldMs:F0} priority={Priority} token={FencingToken}")]
    public static partial void Released(ILogger logger, string gate, double heldMs, GatePriority priority, long fencingToken);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "gate {Gate} lease expired owner={Owner} token={FencingToken}: the holder stopped renewing")]
    public static partial void LeaseExpired(ILogger logger, string gate, string owner, long fencingToken);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "gate {Gate} waiter dropped owner={Owner} waited_ms={WaitMs:F0}: not seen within the waiter TTL")]
    public static partial void WaiterDropped(ILogger logger, string gate, string owner, double waitMs);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "gate {Gate} lease lost token={FencingToken} reason={Reason}: abandoning the call")]
    public static partial void LeaseLost(ILogger logger, string gate, long fencingToken, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "gate {Gate} wait budget exceeded priority={Priority} wait_ms={WaitMs:F0} position={Position}")]
    public static partial void WaitBudgetExceeded(ILogger logger, string gate, GatePriority priority, double waitMs, int position);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "gate {Gate} renewal failed token={FencingToken}; retrying before expiry")]
    public static partial void RenewFailed(ILogger logger, Exception exception, string gate, long fencingToken);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "gate {Gate} ticket vanished while waiting (wait_ms={WaitMs:F0}); queueing again")]
    public static partial void TicketVanished(ILogger logger, string gate, double waitMs);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "gate {Gate} release failed token={FencingToken}; the lease will expire on its own")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string gate, long fencingToken);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "gate {Gate} enqueue priority={Priority} position={Position}")]
    public static partial void Enqueued(ILogger logger, string gate, GatePriority priority, int position);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "gate {Gate} ticket {Ticket}: its cancel after a lost answer was not sent ({Reason}); a late grant expires after the lease TTL, a late ticket after the waiter TTL")]
    public static partial void CancelAfterLeavingFailed(ILogger logger, string gate, string ticket, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "gate {Gate} withdrawing a sibling ticket failed; it is dropped after the waiter TTL, or its lease expires")]
    public static partial void WithdrawFailed(ILogger logger, Exception exception, string gate);

    [LoggerMessage(EventId = 112, Level = LogLevel.Debug, Message = "gate {Gate} granted from a pool of {PoolSize}; sibling tickets withdrawn={Withdrawn}")]
    public static partial void PoolGranted(ILogger logger, string gate, int poolSize, int withdrawn);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "gate {Gate} grant token={FencingToken} could not be claimed ({Outcome}): the work queues again")]
    public static partial void GrantNotClaimed(ILogger logger, string gate, long fencingToken, ClaimOutcome outcome);
}

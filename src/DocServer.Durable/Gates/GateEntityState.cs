using System.Text.Json.Serialization;

namespace DocServer.Durable.Gates;

/// <summary>
/// What the gate entity keeps: the gate itself (in <see cref="DocServer.Core.Gates.GateStateJson"/>'s
/// versioned form, so a newer build's state is refused, never misread), the answers to signalled commands
/// that a caller is waiting to read, and when the next reminder is due.
/// </summary>
public sealed class GateEntityState
{
    [JsonConverter(typeof(EmbeddedJsonConverter))]
    public string Gate { get; set; } = string.Empty;

    /// <summary>
    /// Answers by reply id. A client can only signal an entity, so a caller that needs the answer names a
    /// reply id and reads it here; each is kept for <see cref="GateEntity.ReplyLifetime"/>.
    /// </summary>
    public Dictionary<string, GateReply> Replies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Queued tickets whose grant is pushed: ticket id → the orchestration instance waiting for it. An entry goes
    /// when its grant is sent, or when its ticket leaves the queue otherwise (withdrawn, dropped as dead).
    /// </summary>
    public Dictionary<string, string> Notify { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When the reminder signal the entity sent itself is due; null when none is outstanding.</summary>
    public DateTimeOffset? ReminderAt { get; set; }
}

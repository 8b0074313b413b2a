using System.Text.Json.Serialization;

namespace DocServer.Durable.Gates;

/// <summary>
/// A signalled command's answer (JSON of its result type), when it was written, and the reply id its reader waits
/// for: answers are kept per subject (a ticket, a lease), so the reader checks the id is its own.
/// </summary>
public sealed record GateReply([property: JsonConverter(typeof(EmbeddedJsonConverter))] string Result, DateTimeOffset At, string? Id = null);

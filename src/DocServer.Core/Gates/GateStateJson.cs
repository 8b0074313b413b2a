using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DocServer.Core.Gates;

/// <summary>
/// The persisted form of <see cref="GateState"/>: compact (short names, times as Unix milliseconds)
/// so a full queue fits the 32K-character limit of one Table string property, and versioned so an
/// older build refuses a newer row instead of silently dropping what it does not understand. The
/// optional fields (health, typical hold, origins) are advisory: a build that skips them only loses
/// the ordering hint or the mark, so they did not need a new schema version.
/// </summary>
public static class GateStateJson
{
    /// <summary>Azure Table string properties hold at most 64 KiB of UTF-16.</summary>
    public const int MaxLength = 32 * 1024;

    public static string Serialize(GateState state)
    {
        var document = new GateDocument(
            GateState.CurrentSchemaVersion,
            [.. state.Holders.Select(h => new HolderDocument(h.Id, h.Owner, (int)h.Priority, h.FencingToken, Ms(h.EnqueuedAt), Ms(h.GrantedAt), Ms(h.ExpiresAt), OriginMs(h.Origin, h.EnqueuedAt), h.ClaimedBy))],
            [.. state.Waiters.Select(w => new WaiterDocument(w.Id, w.Owner, (int)w.Priority, w.Sequence, Ms(w.EnqueuedAt), Ms(w.LastSeen), OriginMs(w.Origin, w.EnqueuedAt), w.ClaimWithin is { } claim ? (long)claim.TotalMilliseconds : null))],
            state.NextSequence,
            state.NextFencingToken,
            new CountersDocument(state.Counters.Grants, state.Counters.Releases, state.Counters.Expiries, state.Counters.DroppedWaiters, state.Counters.Cancellations),
            state.Health is { } health ? new HealthDocument(Ms(health.DownSince), health.LastError, health.ReportedBy) : null,
            state.MeanHold is { } hold ? (long)hold.TotalMilliseconds : null);
        var json = JsonSerializer.Serialize(document, GateJsonContext.Default.GateDocument);
        return json.Length <= MaxLength
            ? json
            : throw new InvalidOperationException($"Gate state is {json.Length} characters, over the {MaxLength} a Table property holds; lower MaxWaiters.");
    }

    /// <summary>Reads a stored row; null or empty means the gate has never been used.</summary>
    public static GateState Deserialize(string? json, string gate)
    {
        if (string.IsNullOrEmpty(json))
        {
            return GateState.Empty;
        }

        GateDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, GateJsonContext.Default.GateDocument);
        }
        catch (JsonException ex)
        {
            throw new GateStateException($"Gate '{gate}': the stored row is not gate state JSON ({ex.Message}). It was left untouched.", ex);
        }

        if (document is null || document.Version < 1 || document.Holders is null || document.Waiters is null || document.Counters is null)
        {
            throw new GateStateException($"Gate '{gate}': the stored row lacks a schema version, holders, waiters or counters. It was left untouched.");
        }

        if (document.Version > GateState.CurrentSchemaVersion)
        {
            throw new GateStateException(
                $"Gate '{gate}': the stored row has schema version {document.Version}, newer than the {GateState.CurrentSchemaVersion} this build reads. " +
                "Another instance runs a newer build; upgrade this one. The row was left untouched.");
        }

        var state = new GateState(
            [.. document.Holders.Select(h => new GateHolder(h.Id, h.Owner, Priority(h.Priority, gate), h.Token, At(h.Enqueued), At(h.Granted), At(h.Expires), At(h.Origin ?? h.Enqueued)) { ClaimedBy = h.ClaimedBy })],
            [.. document.Waiters.Select(w => new GateWaiter(w.Id, w.Owner, Priority(w.Priority, gate), w.Seq, At(w.Enqueued), At(w.Seen), At(w.Origin ?? w.Enqueued)) { ClaimWithin = w.ClaimMs is { } claim ? TimeSpan.FromMilliseconds(claim) : null })],
            document.NextSeq,
            document.NextToken,
            new GateCounters(document.Counters.Grants, document.Counters.Releases, document.Counters.Expiries, document.Counters.Dropped, document.Counters.Cancels))
        {
            Health = document.Health is { } health ? new GateHealthMark(At(health.DownSince), health.LastError ?? string.Empty, health.ReportedBy ?? string.Empty) : null,
            MeanHold = document.HoldMs is { } ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : null,
        };
        Check(state, gate);
        return state;
    }

    private static void Check(GateState state, string gate)
    {
        var ids = state.Holders.Select(h => h.Id).Concat(state.Waiters.Select(w => w.Id)).ToList();
        if (ids.Any(string.IsNullOrEmpty) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            throw new GateStateException($"Gate '{gate}': the stored row has empty or duplicate lease/ticket ids. It was left untouched.");
        }

        if (state.Holders.Any(h => h.FencingToken >= state.NextFencingToken) || state.Waiters.Any(w => w.Sequence >= state.NextSequence))
        {
            throw new GateStateException($"Gate '{gate}': the stored row's counters are behind its own leases or tickets. It was left untouched.");
        }
    }

    private static GatePriority Priority(int value, string gate) =>
        Enum.IsDefined((GatePriority)value)
            ? (GatePriority)value
            : throw new GateStateException($"Gate '{gate}': the stored row has unknown priority {value}. It was left untouched.");

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>Written only when it differs from the enqueue time, which is what a row without it means.</summary>
    private static long? OriginMs(DateTimeOffset origin, DateTimeOffset enqueuedAt) => Ms(origin) == Ms(enqueuedAt) ? null : Ms(origin);

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    internal sealed record GateDocument(
        [property: JsonPropertyName("v")] int Version,
        [property: JsonPropertyName("holders")] IReadOnlyList<HolderDocument>? Holders,
        [property: JsonPropertyName("waiters")] IReadOnlyList<WaiterDocument>? Waiters,
        [property: JsonPropertyName("nextSeq")] long NextSeq,
        [property: JsonPropertyName("nextToken")] long NextToken,
        [property: JsonPropertyName("counters")] CountersDocument? Counters,
        [property: JsonPropertyName("health"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HealthDocument? Health = null,
        [property: JsonPropertyName("hold"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? HoldMs = null);

    /// <summary>Optional (G13): older rows have none, and a build that does not know it only loses the advisory mark.</summary>
    internal sealed record HealthDocument(
        [property: JsonPropertyName("downSince")] long DownSince,
        [property: JsonPropertyName("error")] string? LastError,
        [property: JsonPropertyName("by")] string? ReportedBy);

    internal sealed record HolderDocument(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("owner")] string Owner,
        [property: JsonPropertyName("p")] int Priority,
        [property: JsonPropertyName("token")] long Token,
        [property: JsonPropertyName("enq")] long Enqueued,
        [property: JsonPropertyName("granted")] long Granted,
        [property: JsonPropertyName("expires")] long Expires,
        [property: JsonPropertyName("origin"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Origin = null,
        [property: JsonPropertyName("claimedBy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClaimedBy = null);

    internal sealed record WaiterDocument(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("owner")] string Owner,
        [property: JsonPropertyName("p")] int Priority,
        [property: JsonPropertyName("seq")] long Seq,
        [property: JsonPropertyName("enq")] long Enqueued,
        [property: JsonPropertyName("seen")] long Seen,
        [property: JsonPropertyName("origin"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Origin = null,
        [property: JsonPropertyName("claimMs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ClaimMs = null);

    internal sealed record CountersDocument(
        [property: JsonPropertyName("grants")] long Grants,
        [property: JsonPropertyName("releases")] long Releases,
        [property: JsonPropertyName("expiries")] long Expiries,
        [property: JsonPropertyName("dropped")] long Dropped,
        [property: JsonPropertyName("cancels")] long Cancels);
}

[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(GateStateJson.GateDocument))]
internal sealed partial class GateJsonContext : JsonSerializerContext;

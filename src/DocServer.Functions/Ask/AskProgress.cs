using System.Net.ServerSentEvents;
using System.Threading.Channels;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;

namespace DocServer.Functions.Ask;

/// <summary>
/// What a streamed ask tells its caller while it runs, as typed server-sent events: its place in line while a
/// call waits (queued), what retrieval found (retrieved), the evidence (evidence), the answer as the model
/// writes it (token), a keep-alive (ping), then the full response (done) or what went wrong (error).
/// Safe to write from the ask and the ping timer at once.
/// </summary>
internal sealed class AskProgress(ChannelWriter<SseItem<object>> events)
{
    /// <summary>The call a queued event is about: "evidence" or "synthesis".</summary>
    public string Call { get; set; } = "evidence";

    public void Queued(GateWaitUpdate update) =>
        Write("queued", new AskQueuedEvent(Call, update.Gate, update.Position, update.AheadByPriority, Math.Round(update.Waited.TotalMilliseconds)));

    public void Retrieved(IReadOnlyList<SearchResult> results) =>
        Write("retrieved", new AskRetrievedEvent([.. results.Select(r => new AskRetrievedResult(r.DocId, r.ChunkId, r.Title, r.SectionTitle, r.EffectiveScore))]));

    public void Evidence(EvidenceResult evidence) =>
        Write("evidence", new AskEvidenceEvent(Contracts.EvidenceItemResponse.From(evidence.Items), evidence.SkipReason, evidence.Stats.Endpoint));

    public void Text(string piece) => Write("token", new AskTokenEvent(piece));

    public void Ping() => Write("ping", new AskPingEvent());

    public void Done(AskResponse response) => Write("done", response);

    public void Error(int status, string title, string detail) =>
        Write("error", new AskErrorEvent($"https://tools.ietf.org/html/rfc9110#section-15.6.{(status == 503 ? 4 : 1)}", title, status, detail));

    private void Write(string type, object data) => events.TryWrite(new SseItem<object>(data, type));
}

internal sealed record AskQueuedEvent(string Call, string Gate, int Position, int AheadByPriority, double WaitedMs);

internal sealed record AskRetrievedEvent(IReadOnlyList<AskRetrievedResult> Results);

internal sealed record AskRetrievedResult(string DocId, string? ChunkId, string? Title, string? Section, double Score);

internal sealed record AskEvidenceEvent(IReadOnlyList<Contracts.EvidenceItemResponse> Items, string? SkipReason, string? Endpoint);

internal sealed record AskTokenEvent(string Text);

internal sealed record AskPingEvent;

/// <summary>Problem details (RFC 9457), as the JSON endpoint would answer.</summary>
internal sealed record AskErrorEvent(string Type, string Title, int Status, string Detail);

using DocServer.Core.Gates;

namespace DocServer.Functions.Extraction;

/// <summary>
/// What an <see cref="ExtractDocumentOrchestrator"/> extracts: one version of one document; <paramref name="TraceParent"/>
/// is the W3C id of the span that asked for it (the ingest), so the extraction's span links to it.
/// </summary>
internal sealed record ExtractionRequest(string DocumentId, string Version, string? TraceParent = null)
{
    /// <summary>The turn at the gate the orchestration waited for, which the activity claims before it calls (null: it queues itself).</summary>
    public GateGrant? Grant { get; init; }

    /// <summary>
    /// The orchestration's instance id, <c>{id}@{version}</c>: one per version, so a second schedule of the same
    /// version finds it and does nothing (only a leading '@' marks an entity, so this is a valid instance id).
    /// </summary>
    public string InstanceId => $"{DocumentId}@{Version}";

    /// <summary>Schedules this version's <see cref="ExtractDocumentOrchestrator"/>; false when it was scheduled before (in any state).</summary>
    public Task<bool> ScheduleAsync(Durable.IDurableWork durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        return durable.ScheduleAsync(ExtractDocumentOrchestrator.Name, InstanceId, this, cancellationToken);
    }
}

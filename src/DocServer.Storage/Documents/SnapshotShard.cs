using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>One shard of an index snapshot: its documents' versions, in the segment's order, and their part of the index.</summary>
public sealed record SnapshotShard(IReadOnlyList<SnapshotDocument> Documents, Bm25Segment Index)
{
    /// <summary>A segment with the version each of its documents was indexed at, as <paramref name="versionOf"/> says.</summary>
    public static SnapshotShard Of(Bm25Segment segment, Func<string, SnapshotDocument> versionOf)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(versionOf);
        return new SnapshotShard([.. segment.Documents.Select(versionOf)], segment);
    }
}

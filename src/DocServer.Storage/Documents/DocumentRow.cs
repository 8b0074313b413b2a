using Azure.Data.Tables;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>A document's row in the documents table, and the record it holds (what extraction added included).</summary>
internal static class DocumentRow
{
    public static TableEntity From(DocumentRecord record) => new(DocumentChangeLog.Partition, record.Id)
    {
        ["Title"] = record.Title,
        ["ContentType"] = record.ContentType,
        ["IngestedAt"] = record.IngestedAt,
        ["Chunks"] = record.Chunks,
        ["Characters"] = record.Characters,
        ["Version"] = record.Version,
    };

    public static DocumentRecord ToRecord(TableEntity row) => new(
        row.RowKey,
        row.GetString("Title") ?? row.RowKey,
        row.GetString("ContentType") ?? "text/plain",
        row.GetDateTimeOffset("IngestedAt") ?? DateTimeOffset.MinValue,
        row.GetInt32("Chunks") ?? 0,
        row.GetInt32("Characters") ?? 0,
        row.GetString("Summary"),
        row.GetString("Keywords")?.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        row.GetDateTimeOffset("ExtractedAt"),
        row.GetString("Version"),
        row.GetString("ExtractedVersion"));
}

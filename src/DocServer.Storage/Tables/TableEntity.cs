namespace DocServer.Storage.Tables;

/// <summary>
/// A Table row: its keys, its ETag when it was read, and typed properties (string, bool, int, long,
/// double, DateTimeOffset, Guid, byte[]). Other types are refused when written, not stored wrongly.
/// </summary>
public sealed class TableEntity
{
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    public string? ETag { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

    public object? this[string name]
    {
        get => Properties.GetValueOrDefault(name);
        set => Properties[name] = value;
    }

    public string? GetString(string name) => Properties.GetValueOrDefault(name) as string;
}

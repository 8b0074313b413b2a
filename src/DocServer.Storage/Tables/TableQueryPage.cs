namespace DocServer.Storage.Tables;

/// <summary>One page of a query and where the next one starts (null when this was the last).</summary>
public sealed record TableQueryPage(IReadOnlyList<TableEntity> Entities, TableContinuation? Next);

/// <summary>The service's continuation point: the keys of the first row of the next page.</summary>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey);

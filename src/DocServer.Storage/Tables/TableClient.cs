using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using DocServer.Storage.Auth;

namespace DocServer.Storage.Tables;

/// <summary>
/// One table, over the Table REST API: build the request, send it through the Azure.Core pipeline,
/// switch on the status, and fail with <see cref="RequestFailedException"/> (status + error code).
/// </summary>
public sealed class TableClient
{
    private const string JsonNoMetadata = "application/json;odata=nometadata";
    private const string JsonMinimalMetadata = "application/json;odata=minimalmetadata";

    private readonly StorageRestClient _rest;

    public TableClient(StorageAccount account, string tableName, StorageClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (tableName is null || tableName.Length is < 3 or > 63 || !char.IsAsciiLetter(tableName[0]) || !tableName.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"Table name '{tableName}' must be 3-63 letters and digits, starting with a letter.", nameof(tableName));
        }

        Name = tableName;
        _rest = new StorageRestClient(account, StorageService.Table, options, time);
    }

    public string Name { get; }

    /// <summary>Creates the table; an existing table is success (idempotent).</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = Message(RequestMethod.Post, "Tables", null, JsonNoMetadata);
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["TableName"] = Name })));
        message.Request.Headers.SetValue("Content-Type", "application/json");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (201 or 204 or 409))
        {
            throw StorageErrors.Failed(response, $"Create table {Name}");
        }
    }

    /// <summary>The row with these keys, or null if there is none.</summary>
    public async Task<TableEntity?> GetEntityAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        using var message = Message(RequestMethod.Get, EntityPath(partitionKey, rowKey), null, JsonMinimalMetadata);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case 200:
                using (var json = JsonDocument.Parse(response.Content.ToMemory()))
                {
                    return TableEntityJson.Deserialize(json.RootElement, ETagOf(response));
                }

            case 404:
                return null;
            default:
                throw StorageErrors.Failed(response, $"Get {Name}({partitionKey},{rowKey})");
        }
    }

    /// <summary>Inserts a new row and returns its ETag. An existing row fails with 409 EntityAlreadyExists.</summary>
    public async Task<string> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        Validate(entity);
        using var message = Message(RequestMethod.Post, Name, null, JsonNoMetadata);
        SetBody(message, entity);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 201 or 204 ? ETagOf(response)! : throw StorageErrors.Failed(response, $"Insert {Name}({entity.PartitionKey},{entity.RowKey})");
    }

    /// <summary>Replaces the row only if its ETag still matches; a concurrent write fails with 412.</summary>
    public Task<string> UpdateEntityAsync(TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        return PutAsync(entity, ifMatch, "Replace", cancellationToken);
    }

    /// <summary>Inserts or replaces the row, whatever is there.</summary>
    public Task<string> UpsertEntityAsync(TableEntity entity, CancellationToken cancellationToken) =>
        PutAsync(entity, null, "Upsert", cancellationToken);

    /// <summary>Deletes the row (only if its ETag matches, unless "*"); false when there was no row.</summary>
    public async Task<bool> DeleteEntityAsync(string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        using var message = Message(RequestMethod.Delete, EntityPath(partitionKey, rowKey), null, JsonNoMetadata);
        message.Request.Headers.SetValue("If-Match", ifMatch);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            204 => true,
            404 => false,
            _ => throw StorageErrors.Failed(response, $"Delete {Name}({partitionKey},{rowKey})"),
        };
    }

    /// <summary>One page of rows matching an OData filter (null: all rows).</summary>
    public async Task<TableQueryPage> QueryPageAsync(string? filter, int? pageSize, TableContinuation? continuation, CancellationToken cancellationToken)
    {
        var query = new List<(string Name, string Value)>();
        if (filter is not null)
        {
            query.Add(("$filter", filter));
        }

        if (pageSize is { } top)
        {
            query.Add(("$top", top.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (continuation is not null)
        {
            query.Add(("NextPartitionKey", continuation.NextPartitionKey));
            if (continuation.NextRowKey is not null)
            {
                query.Add(("NextRowKey", continuation.NextRowKey));
            }
        }

        using var message = Message(RequestMethod.Get, Name + "()", query, JsonMinimalMetadata);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw StorageErrors.Failed(response, $"Query {Name}");
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entities = json.RootElement.GetProperty("value").EnumerateArray().Select(e => TableEntityJson.Deserialize(e, null)).ToList();
        var next = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk)
            ? new TableContinuation(nextPk, response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk) ? nextRk : null)
            : null;
        return new TableQueryPage(entities, next);
    }

    /// <summary>Every row matching the filter, following continuations.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string? filter, int? pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableContinuation? continuation = null;
        do
        {
            var page = await QueryPageAsync(filter, pageSize, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            continuation = page.Next;
        }
        while (continuation is not null);
    }

    private async Task<string> PutAsync(TableEntity entity, string? ifMatch, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        Validate(entity);
        using var message = Message(RequestMethod.Put, EntityPath(entity.PartitionKey, entity.RowKey), null, JsonNoMetadata);
        SetBody(message, entity);
        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch);
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status == 204 ? ETagOf(response)! : throw StorageErrors.Failed(response, $"{operation} {Name}({entity.PartitionKey},{entity.RowKey})");
    }

    private HttpMessage Message(RequestMethod method, string path, IEnumerable<(string Name, string Value)>? query, string accept)
    {
        var message = _rest.Message(method, path, query);
        message.Request.Headers.SetValue("Accept", accept);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetBody(HttpMessage message, TableEntity entity)
    {
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
        message.Request.Headers.SetValue("Content-Type", "application/json");
    }

    private Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken) => _rest.SendAsync(message, cancellationToken);

    private string EntityPath(string partitionKey, string rowKey) =>
        $"{Name}(PartitionKey='{TableKeys.InPath(TableKeys.Validate(partitionKey, nameof(partitionKey)))}',RowKey='{TableKeys.InPath(TableKeys.Validate(rowKey, nameof(rowKey)))}')";

    private static void Validate(TableEntity entity)
    {
        TableKeys.Validate(entity.PartitionKey, nameof(entity.PartitionKey));
        TableKeys.Validate(entity.RowKey, nameof(entity.RowKey));
    }

    private static string? ETagOf(Response response) => StorageRestClient.Header(response, "ETag");
}

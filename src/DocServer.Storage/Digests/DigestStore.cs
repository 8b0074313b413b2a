using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace DocServer.Storage.Digests;

/// <summary>
/// Digests: the run state row (changed only with If-Match, so two runs cannot both claim a window) and each
/// finished digest as JSON and markdown blobs. A run's progress is its orchestration's history, not rows here.
/// </summary>
public sealed class DigestStore
{
    private const string StatePartition = "state";
    private const string StateRow = "digest";

    private readonly TableClient _rows;
    private readonly BlobContainerClient _digests;

    public DigestStore(StorageClients clients, string prefix)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _rows = clients.Table(prefix + "digests");
        _digests = clients.Container(prefix + "-digests");
    }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_rows.CreateIfNotExistsAsync(cancellationToken), _digests.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);

    public async Task<DigestRunState?> GetStateAsync(CancellationToken cancellationToken)
    {
        var found = await _rows.GetEntityIfExistsAsync<TableEntity>(StatePartition, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        var cutoff = row.GetDateTimeOffset("LastCutoff") ?? DateTimeOffset.UnixEpoch;
        return new DigestRunState(
            row.GetString("LastRun"),
            row.GetDateTimeOffset("LastFrom") ?? cutoff,
            cutoff,
            row.GetString("Latest"),
            row.ETag.ToString());
    }

    /// <summary>Writes the state if it is still as <paramref name="expected"/> was read (or absent, for null); false when another instance changed it first.</summary>
    public async Task<bool> TryWriteStateAsync(DigestRunState state, DigestRunState? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var row = new TableEntity(StatePartition, StateRow)
        {
            ["LastRun"] = state.LastRun,
            ["LastFrom"] = state.LastFrom,
            ["LastCutoff"] = state.LastCutoff,
            ["Latest"] = state.Latest,
        };
        try
        {
            if (expected is null)
            {
                await _rows.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _rows.UpdateEntityAsync(row, new ETag(expected.ETag!), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task SaveDigestAsync(string id, string json, string markdown, CancellationToken cancellationToken)
    {
        await UploadAsync(id + ".json", json, "application/json", cancellationToken).ConfigureAwait(false);
        await UploadAsync(id + ".md", markdown, "text/markdown; charset=utf-8", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every digest's id, newest first (ids sort by time).</summary>
    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var blob in _digests.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                ids.Add(blob.Name[..^5]);
            }
        }

        return [.. ids.OrderDescending(StringComparer.Ordinal)];
    }

    public Task<string?> GetJsonAsync(string id, CancellationToken cancellationToken) => DownloadAsync(id + ".json", cancellationToken);

    public Task<string?> GetMarkdownAsync(string id, CancellationToken cancellationToken) => DownloadAsync(id + ".md", cancellationToken);

    private async Task UploadAsync(string name, string text, string contentType, CancellationToken cancellationToken) =>
        await _digests.GetBlobClient(name).UploadAsync(
            BinaryData.FromString(text),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);

    private async Task<string?> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await _digests.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// A snapshot of every indexed document's chunks, so a new instance loads with a few large reads instead of a
/// query per document. A generation is a set of gzip'd JSON-lines shards written first, then a manifest naming it
/// (readers read the manifest, so they never see half a generation); the generation before stays for readers
/// still on it. Only the instance holding the writer blob's lease writes. Storage stays the truth: a reader checks
/// each document's version against the document list and reloads what changed since.
/// </summary>
public sealed class IndexSnapshotStore
{
    private const string Manifest = "manifest.json";
    private const string Writer = "writer";
    private const int Shards = 8;
    private static readonly TimeSpan WriterLease = TimeSpan.FromSeconds(60);

    private readonly BlobContainerClient _container;

    public IndexSnapshotStore(StorageClients clients, string prefix)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _container = clients.Container(prefix + "-index");
    }

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken) => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <summary>True once a snapshot has been written (its manifest exists).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        (await _container.GetBlobClient(Manifest).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>The newest snapshot's documents, or null when there is none yet.</summary>
    public async Task<IReadOnlyList<SnapshotDocument>?> ReadAsync(CancellationToken cancellationToken)
    {
        SnapshotManifest? manifest;
        try
        {
            var content = await _container.GetBlobClient(Manifest).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            manifest = content.Value.Content.ToObjectFromJson<SnapshotManifest>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        if (manifest is null)
        {
            return null;
        }

        var shards = await Task.WhenAll(Enumerable.Range(0, manifest.Shards).Select(shard => ReadShardAsync(manifest.Generation, shard, cancellationToken))).ConfigureAwait(false);
        return [.. shards.SelectMany(s => s)];
    }

    /// <summary>
    /// Writes a new generation if this instance can take the writer lease (false: another instance is writing).
    /// </summary>
    public async Task<bool> TryWriteAsync(IReadOnlyList<SnapshotDocument> documents, string generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var writer = _container.GetBlobClient(Writer);
        try
        {
            await writer.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // There already, or leased by a writer right now: either way the lease below decides.
        }

        var lease = writer.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(WriterLease, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }

        try
        {
            var previous = await PreviousGenerationAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
                WriteShardAsync(generation, shard, documents.Where(d => Shard(d.Id) == shard), cancellationToken))).ConfigureAwait(false);
            await _container.GetBlobClient(Manifest).UploadAsync(
                BinaryData.FromObjectAsJson(new SnapshotManifest(generation, Shards, documents.Count), Json), overwrite: true, cancellationToken).ConfigureAwait(false);

            // Readers that read the old manifest a moment ago may still be reading its generation: keep that one,
            // delete the ones before it.
            await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "g-", cancellationToken).ConfigureAwait(false))
            {
                var name = blob.Name.Split('/')[0];
                if (name != $"g-{generation}" && name != $"g-{previous}")
                {
                    await _container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }

            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<string?> PreviousGenerationAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(Manifest).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<SnapshotManifest>(Json)?.Generation;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task WriteShardAsync(string generation, int shard, IEnumerable<SnapshotDocument> documents, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var document in documents)
            {
                await JsonSerializer.SerializeAsync(gzip, document, Json, cancellationToken).ConfigureAwait(false);
                gzip.WriteByte((byte)'\n');
            }
        }

        buffer.Position = 0;
        await _container.GetBlobClient(ShardName(generation, shard)).UploadAsync(buffer, new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<SnapshotDocument>> ReadShardAsync(string generation, int shard, CancellationToken cancellationToken)
    {
        var documents = new List<SnapshotDocument>();
        var download = await _container.GetBlobClient(ShardName(generation, shard)).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var gzip = new GZipStream(download.Value.Content, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize<SnapshotDocument>(line, Json) is { } document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    private static string ShardName(string generation, int shard) => $"g-{generation}/{shard}.jsonl.gz";

    private static int Shard(string id) => (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(id)) % Shards);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record SnapshotManifest(string Generation, int Shards, int Documents);
}

/// <summary>One document as the snapshot holds it: which version, and its chunks.</summary>
public sealed record SnapshotDocument(string Id, string? Version, DateTimeOffset IngestedAt, IReadOnlyList<DocumentChunk> Chunks);

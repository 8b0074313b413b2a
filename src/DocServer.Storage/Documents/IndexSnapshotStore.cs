using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DocServer.Core.Documents;

namespace DocServer.Storage.Documents;

/// <summary>
/// A snapshot of the search index, so a new instance loads with a few large reads and tokenises nothing. A generation
/// is a set of shards (documents split by id hash; each shard's part of the index as a <see cref="Bm25Segment"/>, see
/// <see cref="SnapshotShardFormat"/>) written first, then a manifest naming it (readers read the manifest, so they
/// never see half a generation); the generation before stays for readers still on it. Only the instance holding the
/// writer blob's lease writes. Storage stays the truth: a reader checks each document's version against the document
/// list and reloads what changed since.
/// </summary>
public sealed class IndexSnapshotStore
{
    /// <summary>The manifest of this format; the JSON-lines format before it ("manifest.json", "g-…") is deleted on write.</summary>
    private const string Manifest = "snapshot.json";
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

    /// <summary>The newest snapshot, or null when there is none yet.</summary>
    public async Task<IndexSnapshot?> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(Manifest).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<IndexSnapshot>(Json) is { Shards: > 0 } snapshot
                ? snapshot
                : throw new InvalidDataException("The index snapshot's manifest names no shards.");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The index snapshot's manifest is damaged: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The snapshot's shards in order, each whole and checked (<see cref="InvalidDataException"/> otherwise, or when one
    /// is gone). All are downloaded at once while the caller takes them in order; decoding is CPU work, so it runs on
    /// its own threads, one core's worth fewer than the machine has: the thread pool stays free for the storage calls
    /// that run meanwhile (the document listing, which times out if its replies wait behind the decoding).
    /// </summary>
    public async IAsyncEnumerable<SnapshotShard> ReadShardsAsync(IndexSnapshot snapshot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var decoders = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount - 1));
        var shards = Enumerable.Range(0, snapshot.Shards).Select(shard => ReadShardAsync(snapshot.Generation, shard, decoders, stop.Token)).ToList();
        try
        {
            foreach (var shard in shards)
            {
                yield return await shard.ConfigureAwait(false);
            }
        }
        finally
        {
            // A caller that stops early (a damaged shard, cancellation) leaves nothing running: the rest are cancelled
            // and waited for (their outcome is that cancellation, or the error the caller already has).
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(shards.Select(s => s.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a new generation of <paramref name="documentIds"/> if this instance can take the writer lease (false:
    /// another instance is writing). Each shard is taken from <paramref name="export"/> (given its ids) just before
    /// it is written, so only one shard is held at a time.
    /// </summary>
    public async Task<bool> TryWriteAsync(IReadOnlyCollection<string> documentIds, Func<IReadOnlyList<string>, SnapshotShard> export, string generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        ArgumentNullException.ThrowIfNull(export);
        if (await TryLeaseWriterAsync(cancellationToken).ConfigureAwait(false) is not { } lease)
        {
            return false;
        }

        try
        {
            var previous = (await OpenAsync(cancellationToken).ConfigureAwait(false))?.Generation;
            var byShard = documentIds.GroupBy(Shard).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g]);
            var count = 0;
            for (var shard = 0; shard < Shards; shard++)
            {
                var content = export(byShard.GetValueOrDefault(shard, []));
                count += content.Documents.Count;
                using var buffer = new MemoryStream();
                SnapshotShardFormat.Write(buffer, content);
                buffer.Position = 0;
                await _container.GetBlobClient(ShardName(generation, shard)).UploadAsync(buffer, new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);

                // Kept while writing, so no second writer starts (and cleans up this generation) on a slow write.
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await _container.GetBlobClient(Manifest).UploadAsync(
                BinaryData.FromObjectAsJson(new IndexSnapshot(generation, Shards, count), Json), overwrite: true, cancellationToken).ConfigureAwait(false);

            await DeleteOlderThanAsync(generation, previous, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The writer lease (a blob created if missing), or null when another instance is writing now.</summary>
    private async Task<Azure.Storage.Blobs.Specialized.BlobLeaseClient?> TryLeaseWriterAsync(CancellationToken cancellationToken)
    {
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
            return lease;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    /// <summary>
    /// Readers that read the old manifest a moment ago may still be reading its generation: keep that one and the new
    /// one, delete the generations before them and anything of an older format.
    /// </summary>
    private async Task DeleteOlderThanAsync(string generation, string? previous, CancellationToken cancellationToken)
    {
        bool Kept(string name) =>
            name is Writer or Manifest
            || name.StartsWith($"s-{generation}/", StringComparison.Ordinal)
            || (previous is not null && name.StartsWith($"s-{previous}/", StringComparison.Ordinal));
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).ConfigureAwait(false))
        {
            if (!Kept(blob.Name))
            {
                await _container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<SnapshotShard> ReadShardAsync(string generation, int shard, SemaphoreSlim decoders, CancellationToken cancellationToken)
    {
        BinaryData content;
        try
        {
            content = (await _container.GetBlobClient(ShardName(generation, shard)).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new InvalidDataException($"Shard {shard} of index snapshot {generation} is gone (a newer one replaced it).", ex);
        }

        await decoders.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(
                () =>
                {
                    using var stream = content.ToStream();
                    return SnapshotShardFormat.Read(stream);
                },
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            decoders.Release();
        }
    }

    private static string ShardName(string generation, int shard) => $"s-{generation}/{shard}.bin.gz";

    private static int Shard(string id) => (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(id)) % Shards);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>A snapshot as its manifest names it: the generation, how many shards, how many documents.</summary>
public sealed record IndexSnapshot(string Generation, int Shards, int Documents);

using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure.Core;
using DocServer.Storage.Auth;

namespace DocServer.Storage.Blobs;

/// <summary>One blob container over the Blob REST API: create, upload, download, delete, list.</summary>
public sealed class BlobContainerClient
{
    private readonly StorageRestClient _rest;

    public BlobContainerClient(StorageAccount account, string containerName, StorageClientOptions? options = null, TimeProvider? time = null)
    {
        Name = StorageNames.RequireLowercase(containerName, "Container", nameof(containerName));
        _rest = new StorageRestClient(account, StorageService.Blob, options, time);
    }

    public string Name { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = _rest.Message(RequestMethod.Put, Name, [("restype", "container")]);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (201 or 409))
        {
            throw StorageErrors.Failed(response, $"Create container {Name}");
        }
    }

    /// <summary>Writes the blob whole (replacing any previous one) and returns its ETag.</summary>
    public async Task<string?> UploadAsync(string blobName, BinaryData content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var message = _rest.Message(RequestMethod.Put, BlobPath(blobName));
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(content);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status == 201 ? StorageRestClient.Header(response, "ETag") : throw StorageErrors.Failed(response, $"Upload {Name}/{blobName}");
    }

    /// <summary>The blob, or null if there is none.</summary>
    public async Task<BlobContent?> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        using var message = _rest.Message(RequestMethod.Get, BlobPath(blobName));
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            200 => new BlobContent(response.Content, StorageRestClient.Header(response, "Content-Type"), StorageRestClient.Header(response, "ETag")),
            404 => null,
            _ => throw StorageErrors.Failed(response, $"Download {Name}/{blobName}"),
        };
    }

    /// <summary>Deletes the blob; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string blobName, CancellationToken cancellationToken)
    {
        using var message = _rest.Message(RequestMethod.Delete, BlobPath(blobName));
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            202 => true,
            404 => false,
            _ => throw StorageErrors.Failed(response, $"Delete {Name}/{blobName}"),
        };
    }

    /// <summary>Every blob whose name starts with <paramref name="prefix"/>, in name order, following markers.</summary>
    public async IAsyncEnumerable<BlobItem> ListAsync(string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var query = new List<(string, string)> { ("restype", "container"), ("comp", "list") };
            if (!string.IsNullOrEmpty(prefix))
            {
                query.Add(("prefix", prefix));
            }

            if (marker is not null)
            {
                query.Add(("marker", marker));
            }

            using var message = _rest.Message(RequestMethod.Get, Name, query);
            var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.Status != 200)
            {
                throw StorageErrors.Failed(response, $"List {Name}");
            }

            var xml = XDocument.Parse(response.Content.ToString());
            foreach (var blob in xml.Descendants("Blob"))
            {
                var properties = blob.Element("Properties");
                yield return new BlobItem(
                    blob.Element("Name")!.Value,
                    long.TryParse(properties?.Element("Content-Length")?.Value, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size : 0,
                    DateTimeOffset.TryParse(properties?.Element("Last-Modified")?.Value, System.Globalization.CultureInfo.InvariantCulture, out var modified) ? modified : null);
            }

            marker = xml.Root?.Element("NextMarker")?.Value;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    private string BlobPath(string blobName)
    {
        if (string.IsNullOrEmpty(blobName) || blobName.Length > 1024)
        {
            throw new ArgumentException("A blob name must be 1-1024 characters.", nameof(blobName));
        }

        return Name + "/" + string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
    }
}

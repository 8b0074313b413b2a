using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using DocServer.Storage.Auth;

namespace DocServer.Storage;

/// <summary>
/// What every storage client does the same way: build a request against the service endpoint, send it
/// through the Azure.Core pipeline (retries, version header, signing), hand back the response.
/// </summary>
internal sealed class StorageRestClient(StorageAccount account, StorageService service, StorageClientOptions? options, TimeProvider? time)
{
    private readonly HttpPipeline _pipeline = StoragePipeline.Build(account, service, options, time);

    public Uri Endpoint { get; } = service switch
    {
        StorageService.Table => account.TableEndpoint,
        StorageService.Blob => account.BlobEndpoint,
        _ => account.QueueEndpoint,
    };

    /// <summary>A request for <paramref name="path"/> (already escaped) with unescaped query values.</summary>
    public HttpMessage Message(RequestMethod method, string path, IEnumerable<(string Name, string Value)>? query = null)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        var uri = new RequestUriBuilder();
        uri.Reset(Endpoint);
        uri.AppendPath(path, escape: false);
        foreach (var (name, value) in query ?? [])
        {
            uri.AppendQuery(name, value, escapeValue: true);
        }

        message.Request.Uri = uri;
        return message;
    }

    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    public static string? Header(Response response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;
}

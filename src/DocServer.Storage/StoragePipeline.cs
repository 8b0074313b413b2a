using Azure.Core;
using Azure.Core.Pipeline;
using DocServer.Storage.Auth;

namespace DocServer.Storage;

/// <summary>
/// Builds the Azure.Core pipeline every storage client sends through: retries, the service version
/// header, and per-attempt authentication (SharedKey or bearer token).
/// </summary>
internal static class StoragePipeline
{
    /// <summary>The Table service version the JSON protocol and our requests are written against.</summary>
    public const string TableServiceVersion = "2019-02-02";

    /// <summary>The Blob and Queue service version our requests are written against.</summary>
    public const string BlobQueueServiceVersion = "2024-11-04";

    private const string StorageScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageAccount account, StorageService service, StorageClientOptions? options, TimeProvider? time)
    {
        HttpPipelinePolicy auth = account switch
        {
            { SharedKey: { } key } => new SharedKeyAuthenticationPolicy(key, service, time ?? TimeProvider.System),
            { Token: { } token } => new BearerTokenAuthenticationPolicy(token, StorageScope),
            _ => throw new ArgumentException($"Storage account '{account.Name}' has neither a shared key nor a token credential.", nameof(account)),
        };
        var version = service == StorageService.Table ? TableServiceVersion : BlobQueueServiceVersion;
        return HttpPipelineBuilder.Build(options ?? new StorageClientOptions(), [new VersionHeaderPolicy(version)], [auth], new ResponseClassifier());
    }

    private sealed class VersionHeaderPolicy(string version) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("x-ms-version", version);
    }
}

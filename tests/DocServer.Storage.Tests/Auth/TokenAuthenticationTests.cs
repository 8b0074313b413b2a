using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using DocServer.Storage;
using DocServer.Storage.Tables;

namespace DocServer.Storage.Tests.Auth;

/// <summary>In Azure the app signs with its managed identity: a bearer token for the storage scope, no key.</summary>
public sealed class TokenAuthenticationTests
{
    [Fact]
    public async Task TableRequest_WithTokenCredential_SendsBearerTokenForTheStorageScope()
    {
        var credential = new RecordingCredential();
        var transport = new RecordingTransport();
        var account = StorageAccount.WithToken("docs", credential);
        var table = new TableClient(account, "gates", new StorageClientOptions { Transport = transport });

        await table.CreateIfNotExistsAsync(CancellationToken.None);

        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        var request = Assert.Single(transport.Requests);
        Assert.Equal("Bearer token-123", request.Authorization);
        Assert.Equal("https://docs.table.core.windows.net/Tables", request.Uri);
        Assert.Equal("2019-02-02", request.Version);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-123", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers 204 to everything and keeps what it was sent; no network involved.</summary>
    private sealed class RecordingTransport : HttpPipelineTransport
    {
        public List<(string Uri, string? Authorization, string? Version)> Requests { get; } = [];

        public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

        public override void Process(HttpMessage message) => throw new NotSupportedException("async only");

        public override ValueTask ProcessAsync(HttpMessage message)
        {
            message.Request.Headers.TryGetValue("Authorization", out var authorization);
            message.Request.Headers.TryGetValue("x-ms-version", out var version);
            Requests.Add((message.Request.Uri.ToString(), authorization, version));
            message.Response = new NoContentResponse();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoContentResponse : Response
    {
        public override int Status => 204;

        public override string ReasonPhrase => "No Content";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = string.Empty;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, out string value)
        {
            value = string.Empty;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            values = [];
            return false;
        }
    }
}

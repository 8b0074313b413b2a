using Azure.Core;
using DocServer.Storage.Auth;

namespace DocServer.Storage;

/// <summary>
/// Where an account's services live and how to sign for them: a shared key (Azurite, or a key-based
/// connection string) or a token credential (the managed identity in Azure, no key in settings).
/// </summary>
public sealed record StorageAccount(string Name, Uri TableEndpoint, Uri BlobEndpoint, Uri QueueEndpoint, SharedKeyCredential? SharedKey, TokenCredential? Token)
{
    /// <summary>Azurite's well-known development account (public, documented, not a secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>For Azure with a managed identity: endpoints from the account name, signed with tokens.</summary>
    public static StorageAccount WithToken(string accountName, TokenCredential credential, string endpointSuffix = "core.windows.net") =>
        new(
            accountName,
            new Uri($"https://{accountName}.table.{endpointSuffix}/"),
            new Uri($"https://{accountName}.blob.{endpointSuffix}/"),
            new Uri($"https://{accountName}.queue.{endpointSuffix}/"),
            null,
            credential);
}

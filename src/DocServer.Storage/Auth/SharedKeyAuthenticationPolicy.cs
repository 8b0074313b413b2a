using Azure.Core;
using Azure.Core.Pipeline;

namespace DocServer.Storage.Auth;

/// <summary>
/// Signs each attempt (it runs per retry, so a retried request carries a fresh date) with the
/// account key: stamps x-ms-date, builds the string-to-sign, sets Authorization.
/// </summary>
internal sealed class SharedKeyAuthenticationPolicy(SharedKeyCredential credential, StorageService service, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", time.GetUtcNow().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Name] = header.Value;
        }

        if (request.Content is { } content && content.TryComputeLength(out var length))
        {
            headers["Content-Length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var signable = new SignableRequest(request.Method.Method, request.Uri.ToUri(), headers);
        var stringToSign = service == StorageService.Table
            ? SharedKeyStringToSign.ForTable(signable, credential.AccountName)
            : SharedKeyStringToSign.ForBlobOrQueue(signable, credential.AccountName);
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{credential.Sign(stringToSign)}");
    }
}

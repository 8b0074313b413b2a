using System.Globalization;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Azure.Core;
using DocServer.Storage.Auth;

namespace DocServer.Storage.Queues;

/// <summary>
/// One queue over the Queue REST API. Message text travels base64-encoded, as the Functions host's
/// queue trigger expects by default, so the same queue works standalone and under the host.
/// </summary>
public sealed class QueueClient
{
    private readonly StorageRestClient _rest;

    public QueueClient(StorageAccount account, string queueName, StorageClientOptions? options = null, TimeProvider? time = null)
    {
        Name = StorageNames.RequireLowercase(queueName, "Queue", nameof(queueName));
        _rest = new StorageRestClient(account, StorageService.Queue, options, time);
    }

    public string Name { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        using var message = _rest.Message(RequestMethod.Put, Name);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (201 or 204 or 409))
        {
            throw StorageErrors.Failed(response, $"Create queue {Name}");
        }
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var message = _rest.Message(RequestMethod.Post, Name + "/messages");
        var body = $"<QueueMessage><MessageText>{SecurityElement.Escape(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)))}</MessageText></QueueMessage>";
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 201)
        {
            throw StorageErrors.Failed(response, $"Send to queue {Name}");
        }
    }

    /// <summary>Up to <paramref name="maxMessages"/> messages, each invisible to others for <paramref name="visibilityTimeout"/>.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        using var message = _rest.Message(RequestMethod.Get, Name + "/messages",
        [
            ("numofmessages", Math.Clamp(maxMessages, 1, 32).ToString(CultureInfo.InvariantCulture)),
            ("visibilitytimeout", ((int)Math.Max(1, visibilityTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
        ]);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw StorageErrors.Failed(response, $"Receive from queue {Name}");
        }

        return [.. XDocument.Parse(response.Content.ToString()).Descendants("QueueMessage").Select(m => new QueueMessage(
            m.Element("MessageId")!.Value,
            m.Element("PopReceipt")!.Value,
            long.Parse(m.Element("DequeueCount")?.Value ?? "1", CultureInfo.InvariantCulture),
            Decode(m.Element("MessageText")?.Value ?? string.Empty)))];
    }

    /// <summary>Deletes a received message; false when it was already gone (another receiver, or expired receipt).</summary>
    public async Task<bool> DeleteAsync(QueueMessage received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        using var message = _rest.Message(RequestMethod.Delete, $"{Name}/messages/{Uri.EscapeDataString(received.MessageId)}", [("popreceipt", received.PopReceipt)]);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            204 => true,
            404 => false,
            _ => throw StorageErrors.Failed(response, $"Delete message from queue {Name}"),
        };
    }

    private static string Decode(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            // Written by something that does not base64-encode: take it as it is.
            return text;
        }
    }
}

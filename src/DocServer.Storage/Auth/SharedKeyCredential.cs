using System.Security.Cryptography;
using System.Text;

namespace DocServer.Storage.Auth;

/// <summary>An account name and its key. The key never leaves this type; only signatures do.</summary>
public sealed class SharedKeyCredential
{
    private readonly byte[] _key;

    public SharedKeyCredential(string accountName, string base64Key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"The account key for storage account '{accountName}' is not valid base64.", ex);
        }
    }

    public string AccountName { get; }

    /// <summary>HMAC-SHA256 of the UTF-8 string-to-sign, base64: the signature part of the Authorization header.</summary>
    public string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    public override string ToString() => $"SharedKey({AccountName})";
}

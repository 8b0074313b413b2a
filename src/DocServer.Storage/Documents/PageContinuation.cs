using System.Buffers.Text;
using System.Text;

namespace DocServer.Storage.Documents;

/// <summary>
/// Where a listing goes on: the storage SDK's continuation, carried to callers as opaque URL-safe text, so a
/// caller cannot mistake it for something to build, and a mangled one is refused before storage sees it.
/// </summary>
public sealed record PageContinuation(string Token)
{
    private const string Prefix = "d1.";

    public override string ToString() => Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Token));

    /// <summary>Reads text that <see cref="ToString"/> wrote; null for anything else.</summary>
    public static PageContinuation? TryParse(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length > 2048)
        {
            return null;
        }

        try
        {
            var token = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text.AsSpan(Prefix.Length)));
            return token.Length > 0 && !token.Any(char.IsControl) ? new PageContinuation(token) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

using System.Net;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The addresses the standalone app will listen on, read from every place ASP.NET Core takes them
/// (<c>urls</c>: ASPNETCORE_URLS, --urls, appsettings; <c>http_ports</c>/<c>https_ports</c>, which bind every
/// interface; Kestrel endpoints). None configured: the standalone app sets its default (localhost:7071).
/// </summary>
internal static class ListenAddresses
{
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<string>();
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            addresses.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
            {
                if (configuration[key] is { Length: > 0 } ports)
                {
                    addresses.AddRange(ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}"));
                }
            }
        }

        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return addresses;
    }

    /// <summary>True for localhost and loopback IPs only: "*", "+", "0.0.0.0", "[::]" and host names reach beyond this machine.</summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var host = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        host = host.Split('/')[0];
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

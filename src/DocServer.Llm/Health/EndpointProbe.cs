namespace DocServer.Llm.Health;

/// <summary>
/// The cheap check that a down endpoint's host answers again: <c>GET {Url}/models</c>, which mlx_lm.server
/// answers without running the model, so probing never competes with a real call for the single slot.
/// </summary>
public sealed class EndpointProbe(HttpClient http)
{
    /// <summary>Null when the host answered 2xx; else what went wrong.</summary>
    public async Task<string?> ProbeAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        try
        {
            using var response = await http.GetAsync(new Uri(baseUrl, "models"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"GET models answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"GET models timed out after {http.Timeout.TotalSeconds:F0} s";
        }
    }
}

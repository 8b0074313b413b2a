using DocServer.Core.Gates;
using DocServer.Functions.Configuration;
using DocServer.Llm.Health;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>
/// G13: every ProbeInterval, probes each endpoint this instance knows to be down (GET {Url}/models) and
/// closes its breaker once the host answers, so asks use it again and deferred background work resumes
/// within one interval. Runs under the host too: the breaker is per instance. It also writes what this
/// instance sees into each gate's row when it changes, so every instance and the status show it.
/// </summary>
internal sealed class EndpointProber(EndpointHealth health, LanguageModels models, GateClient gates, IOptions<DocServerOptions> options, TimeProvider time, ILogger<EndpointProber> logger)
    : BackgroundService
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly Dictionary<string, bool> _reportedDown = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var probe = new EndpointProbe(Http);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ProbeInterval, time, stoppingToken).ConfigureAwait(false);
                await ReportToGatesAsync(stoppingToken).ConfigureAwait(false);
                foreach (var (endpoint, url) in models.Urls.Where(e => health.IsDown(e.Key)))
                {
                    if (await probe.ProbeAsync(url, stoppingToken).ConfigureAwait(false) is { } error)
                    {
                        health.ReportProbeFailed(endpoint, error);
                    }
                    else
                    {
                        await health.ReportProbeSucceededAsync(endpoint).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                FunctionLog.Failed(logger, ex, "EndpointProbe");
            }
        }
    }

    private async Task ReportToGatesAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in gates.Catalog.GateNames)
        {
            var report = health.Report(endpoint);
            var down = report.DownSince is not null;
            if (_reportedDown.TryGetValue(endpoint, out var reported) ? reported == down : !down)
            {
                continue;
            }

            var mark = report.DownSince is { } since ? new GateHealthMark(since, report.LastError ?? "down", gates.Options.Owner) : null;
            try
            {
                await gates.ReportHealthAsync(endpoint, mark, cancellationToken).ConfigureAwait(false);
                _reportedDown[endpoint] = down;
            }
            catch (GateUnavailableException ex)
            {
                // Storage is away too: try again next interval.
                FunctionLog.HealthNotRecorded(logger, endpoint, ex.Message);
            }
        }
    }
}

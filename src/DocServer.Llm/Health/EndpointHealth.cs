using System.ClientModel;
using System.Collections.Frozen;
using DocServer.Core.Llm;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace DocServer.Llm.Health;

/// <summary>
/// G13: one circuit breaker per MLX endpoint (Polly), in this instance. Host failures open it: connection
/// failures, 5xx, and no first token in time. While it is open nobody queues for the endpoint, and a probe
/// (<c>GET {Url}/models</c>, see <see cref="EndpointProbe"/>) closes it when the host answers again. The break
/// itself is long: the probe, not a real user's call, finds out when the host is back.
/// </summary>
public sealed class EndpointHealth : IEndpointHealth
{
    private readonly FrozenDictionary<string, Circuit> _circuits;

    public EndpointHealth(IEnumerable<string> endpoints, TimeProvider time, ILogger<EndpointHealth> logger)
    {
        _circuits = endpoints.ToFrozenDictionary(e => e, e => new Circuit(e, time, logger), StringComparer.Ordinal);
    }

    public bool IsDown(string endpoint) =>
        _circuits.TryGetValue(endpoint, out var circuit) && circuit.State.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Unreachable (no response), a 5xx, or a host that sent nothing in time: the host's trouble, not the request's.</summary>
    public bool IsHostFailure(Exception exception) => exception is BrokenCircuitException || IsHostFailureOf(exception);

    /// <summary>Runs a call to the endpoint's host through its breaker; an open breaker throws <see cref="BrokenCircuitException"/> at once.</summary>
    public async Task<T> ExecuteAsync<T>(string endpoint, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _circuits.TryGetValue(endpoint, out var circuit)
            ? await circuit.Pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : await call(cancellationToken).ConfigureAwait(false);

    /// <summary>The probe found the host answering: close the breaker (a no-op when it is closed).</summary>
    public async Task ReportProbeSucceededAsync(string endpoint)
    {
        if (_circuits.TryGetValue(endpoint, out var circuit) && IsDown(endpoint))
        {
            await circuit.Control.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The probe could not reach the host: keep the breaker open and remember why.</summary>
    public void ReportProbeFailed(string endpoint, string error)
    {
        if (_circuits.TryGetValue(endpoint, out var circuit))
        {
            circuit.LastProbeError = error;
        }
    }

    public EndpointHealthReport Report(string endpoint)
    {
        var circuit = _circuits[endpoint];
        return new EndpointHealthReport(endpoint, IsDown(endpoint) ? "down" : "up", circuit.DownSince, circuit.LastError, circuit.LastErrorAt, circuit.LastProbeError);
    }

    public IReadOnlyList<EndpointHealthReport> Reports() => [.. _circuits.Keys.Order(StringComparer.Ordinal).Select(Report)];

    /// <summary>What opens a breaker: the host is unreachable, answers 5xx, or sends no first token in time.</summary>
    private static bool IsHostFailureOf(Exception exception) => exception switch
    {
        ModelStalledException stalled => stalled.BeforeFirstToken,
        ClientResultException result => result.Status is 0 or >= 500,
        HttpRequestException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };

    private sealed class Circuit
    {
        public Circuit(string endpoint, TimeProvider time, ILogger logger)
        {
            var options = new CircuitBreakerStrategyOptions
            {
                // Two host failures within a minute open it: a single-inference host sees few calls, and
                // every call that waits on a dead host holds the gate for its whole deadline.
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = TimeSpan.FromHours(1),
                StateProvider = State,
                ManualControl = Control,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsHostFailureOf(ex)),
                OnOpened = args =>
                {
                    DownSince = time.GetUtcNow();
                    LastError = args.Outcome.Exception?.Message ?? "opened";
                    LastErrorAt = DownSince;
                    EndpointHealthLog.Opened(logger, endpoint, LastError);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LastProbeError = null;
                    EndpointHealthLog.Closed(logger, endpoint, DownSince is { } since ? (time.GetUtcNow() - since).TotalSeconds : 0);
                    DownSince = null;
                    return ValueTask.CompletedTask;
                },
            };
            Pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddCircuitBreaker(options).Build();
        }

        public CircuitBreakerStateProvider State { get; } = new();

        public CircuitBreakerManualControl Control { get; } = new();

        public ResiliencePipeline Pipeline { get; }

        public DateTimeOffset? DownSince { get; set; }

        public string? LastError { get; set; }

        public DateTimeOffset? LastErrorAt { get; set; }

        public string? LastProbeError { get; set; }
    }
}

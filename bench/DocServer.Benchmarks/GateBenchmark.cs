using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DocServer.Core.Gates;
using DocServer.Durable.TaskHub;

namespace DocServer.Benchmarks;

/// <summary>
/// The gate's numbers, in memory and as the Durable entity on a task hub on Azurite side by side: uncontended
/// latency, client operations, an idle gate's grant, handoff gap across instances, storage requests per handoff
/// and per idle minute, throughput with 50 contenders. `--baseline` puts the previous build's table before it.
/// </summary>
internal static class GateBenchmark
{
    private const int Uncontended = 300;
    private const int HandoffContenders = 30;
    private const int ThroughputContenders = 50;
    private const int ServiceContenders = 15;
    private const int PushTurns = 8;
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(20);

    /// <summary>What an MLX call takes in the scheduling benchmark: holds long enough that waiters poll slowly until near the end.</summary>
    private static readonly TimeSpan ServiceHold = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(5);
    private const int IdleRounds = 10;
    private static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync()
    {
        await using var memory = GateBackend.InMemory();
        // The app's task hub settings (host.json), and the same with the idle queues polled 5x less often.
        await using var entity = await GateBackend.TaskHubAsync().ConfigureAwait(false);
        await using var slower = await GateBackend.TaskHubAsync(new TaskHubOptions { MaxQueuePollingInterval = TimeSpan.FromMilliseconds(250) }).ConfigureAwait(false);
        var backends = new[] { memory, entity, slower };
        var rows = new List<(string Metric, string Target, string[] Values)>();
        var results = new List<Dictionary<string, double>>();
        foreach (var backend in backends)
        {
            await Console.Error.WriteLineAsync($"measuring {backend.Name} ...").ConfigureAwait(false);
            results.Add(await MeasureAsync(backend).ConfigureAwait(false));
        }

        string[] Row(string key, string format) => [.. results.Select(r => double.IsNaN(r[key]) ? "n/a" : r[key].ToString(format, CultureInfo.InvariantCulture))];
        rows.Add(("acquire+release p50 (ms), uncontended", "", Row("p50", "F2")));
        rows.Add(("acquire+release p95 (ms), uncontended", "", Row("p95", "F2")));
        rows.Add(("storage round trips per acquire+release", "<= 4", Row("trips", "F2")));
        rows.Add(($"handoff gap p50 (ms), across instances, {Hold.TotalMilliseconds:F0} ms holds", "", Row("gap50", "F1")));
        rows.Add(($"handoff gap p95 (ms), across instances, {Hold.TotalMilliseconds:F0} ms holds", "", Row("gap95", "F1")));
        rows.Add(("  handoffs measured across instances", "", Row("gapCount", "F0")));
        rows.Add(("  storage reads / s on the gate meanwhile", "", Row("gapReads", "F0")));
        rows.Add(("handoff gap p50 (ms), same instance (signal)", "", Row("gapSame50", "F1")));
        rows.Add(($"handoff gap p50 (ms), across instances, {ServiceHold.TotalMilliseconds:F0} ms holds", "<= 10 (azurite)", Row("svc50", "F1")));
        rows.Add(($"handoff gap p95 (ms), across instances, {ServiceHold.TotalMilliseconds:F0} ms holds", "<= 25 (azurite)", Row("svc95", "F1")));
        rows.Add(("  handoffs measured across instances", "", Row("svcCount", "F0")));
        rows.Add(("  storage reads / s on the gate meanwhile", "", Row("svcReads", "F0")));
        rows.Add(($"orchestration by push: release to the next activity's claim p50 (ms), {ServiceHold.TotalMilliseconds:F0} ms holds", "", Row("push50", "F1")));
        rows.Add(("orchestration by push: release to the next activity's claim p95 (ms)", "", Row("push95", "F1")));
        rows.Add(("  push handoffs measured", "", Row("pushCount", "F0")));
        rows.Add(("idle gate: acquire to grant p50 (ms)", "<= 100", Row("idle50", "F1")));
        rows.Add(("idle gate: acquire to grant p95 (ms)", "", Row("idle95", "F1")));
        rows.Add(($"storage requests per handoff ({ServiceHold.TotalMilliseconds:F0} ms holds, worker + clients)", "", Row("svcRequests", "F1")));
        rows.Add(("storage requests per idle minute (worker + clients)", "", Row("idleRequests", "F0")));
        rows.Add(($"gate operations / s, {ThroughputContenders} contenders", "", Row("opsps", "F0")));
        rows.Add(($"leases granted / s, {ThroughputContenders} contenders", "", Row("leasesps", "F0")));

        Table.Print(["metric", "target", .. backends.Select(b => b.Name)], [.. rows.Select(r => (string[])[r.Metric, r.Target, .. r.Values])]);
        return 0;
    }

    private static async Task<Dictionary<string, double>> MeasureAsync(GateBackend backend)
    {
        var result = new Dictionary<string, double>();

        // 1. Uncontended: one instance, acquire then release, again and again.
        var (solo, soloStore) = backend.Instance("solo");
        await Pair(solo).ConfigureAwait(false);
        soloStore.Reset();
        var latencies = new List<double>();
        for (var i = 0; i < Uncontended; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await Pair(solo).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        result["p50"] = Percentiles.Of(latencies, 50);
        result["p95"] = Percentiles.Of(latencies, 95);
        result["trips"] = (double)soloStore.RoundTrips / Uncontended;

        // 2. Idle: nothing happens on the gate for a while (the hub's queues back off their polling), then one ask comes.
        var idle = new List<double>();
        for (var i = 0; i < IdleRounds; i++)
        {
            await Task.Delay(backend.Requests is null ? TimeSpan.Zero : IdleGap).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var acquisition = await solo.AcquireAsync(GateBackend.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            idle.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await acquisition.Lease!.DisposeAsync().ConfigureAwait(false);
        }

        result["idle50"] = Percentiles.Of(idle, 50);
        result["idle95"] = Percentiles.Of(idle, 95);
        var idleAlone = backend.Requests is { } counter ? await IdleRequestsPerMinuteAsync(counter).ConfigureAwait(false) : double.NaN;
        result["idleRequests"] = idleAlone;

        // 3. Handoff: contenders on three instances hold in turn; gap = release call -> next holder has its lease.
        foreach (var (hold, waiting, key) in new[] { (Hold, HandoffContenders, "gap"), (ServiceHold, ServiceContenders, "svc") })
        {
            var requestsBefore = backend.Requests?.Requests ?? 0;
            var (gaps, readsPerSecond) = await HandoffAsync(backend, hold, waiting).ConfigureAwait(false);
            result[key + "Requests"] = backend.Requests is { } handoffCounter ? (handoffCounter.Requests - requestsBefore) / (double)(waiting + 1) : double.NaN;
            result[key + "50"] = Percentiles.Of(gaps.Across, 50);
            result[key + "95"] = Percentiles.Of(gaps.Across, 95);
            result[key + "Same50"] = gaps.Within.Count == 0 ? double.NaN : Percentiles.Of(gaps.Within, 50);
            result[key + "Count"] = gaps.Across.Count;
            result[key + "Reads"] = readsPerSecond;
        }

        // 4. Orchestrations waiting by push (extraction's way), on a task hub only.
        if (backend is { Push: { } push, Durable: { } durable })
        {
            var pushGaps = await push.MeasureAsync(durable, backend.Instance("push-blocker").Client, PushTurns).ConfigureAwait(false);
            result["push50"] = Percentiles.Of(pushGaps, 50);
            result["push95"] = Percentiles.Of(pushGaps, 95);
            result["pushCount"] = pushGaps.Count;
        }
        else
        {
            result["push50"] = result["push95"] = result["pushCount"] = double.NaN;
        }

        // 5. Throughput: 50 contenders acquire and release as fast as they can for a fixed window.
        var contenders = Enumerable.Range(1, 3).Select(i => backend.Instance($"busy-{i}")).ToList();
        using var window = new CancellationTokenSource(ThroughputWindow);
        var leases = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, ThroughputContenders).Select(i => Task.Run(async () =>
        {
            var (client, _) = contenders[i % 3];
            while (!window.IsCancellationRequested)
            {
                var acquisition = await client.AcquireAsync(GateBackend.Gate, GatePriority.Background, TimeSpan.FromMinutes(5), CancellationToken.None).ConfigureAwait(false);
                await acquisition.Lease!.DisposeAsync().ConfigureAwait(false);
                Interlocked.Increment(ref leases);
            }
        }))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var operations = contenders.Sum(c => c.Store.Operations);
        result["opsps"] = operations / seconds;
        result["leasesps"] = leases / seconds;
        return result;
    }

    /// <summary>
    /// Contenders on three instances, each holding for <paramref name="hold"/> once. A blocker holds the gate until
    /// all are queued, so every gap measured is a real handoff. Also the storage reads per second on the gate.
    /// </summary>
    private static async Task<((List<double> Across, List<double> Within) Gaps, double ReadsPerSecond)> HandoffAsync(GateBackend backend, TimeSpan hold, int count)
    {
        var instances = Enumerable.Range(1, 3).Select(i => backend.Instance($"instance-{i}")).ToList();
        var (blockerClient, _) = backend.Instance("blocker");
        var blocker = (await blockerClient.AcquireAsync(GateBackend.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false)).Lease!;
        var grants = new ConcurrentDictionary<long, (int Instance, long GrantedSeen, long ReleaseStarted)>();
        var contending = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            // Priority independent of instance (every 4th), so foreground runs are not all in one process.
            var priority = i % 4 == 0 ? GatePriority.Foreground : GatePriority.Background;
            var acquisition = await instances[i % 3].Client.AcquireAsync(GateBackend.Gate, priority, TimeSpan.FromMinutes(5), CancellationToken.None).ConfigureAwait(false);
            var seen = Stopwatch.GetTimestamp();
            await using var lease = acquisition.Lease!;
            await Task.Delay(hold).ConfigureAwait(false);
            grants[lease.FencingToken] = (i % 3, seen, Stopwatch.GetTimestamp());
        })).ToList();
        while ((await blockerClient.GetStatusAsync(GateBackend.Gate, CancellationToken.None).ConfigureAwait(false)) is var status
               && status.WaitingForeground + status.WaitingBackground < count)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        // The gate has seen holds of this length before (its typical hold), as in steady use.
        await Task.Delay(hold).ConfigureAwait(false);
        foreach (var (_, store) in instances)
        {
            store.Reset();
        }

        var clock = Stopwatch.StartNew();
        grants[blocker.FencingToken] = (-1, 0, Stopwatch.GetTimestamp());
        await blocker.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(contending).ConfigureAwait(false);
        var readsPerSecond = instances.Sum(i => i.Store.RoundTrips) / clock.Elapsed.TotalSeconds;
        var ordered = grants.OrderBy(g => g.Key).Select(g => g.Value).ToList();
        var handoffs = ordered.Zip(ordered.Skip(1), (previous, next) =>
            (Across: previous.Instance != next.Instance, Ms: Stopwatch.GetElapsedTime(previous.ReleaseStarted, next.GrantedSeen).TotalMilliseconds)).ToList();
        return ((handoffs.Where(h => h.Across).Select(h => h.Ms).ToList(), handoffs.Where(h => !h.Across).Select(h => h.Ms).ToList()), readsPerSecond);
    }

    /// <summary>The requests the worker and an idle client's hub make in <see cref="IdleWindow"/>, as a rate per minute.</summary>
    private static async Task<double> IdleRequestsPerMinuteAsync(StorageRequestCounter counter)
    {
        var start = counter.Requests;
        await Task.Delay(IdleWindow).ConfigureAwait(false);
        return (counter.Requests - start) * (TimeSpan.FromMinutes(1) / IdleWindow);
    }

    private static async Task Pair(GateClient client)
    {
        var acquisition = await client.AcquireAsync(GateBackend.Gate, GatePriority.Foreground, TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
        await acquisition.Lease!.DisposeAsync().ConfigureAwait(false);
    }
}

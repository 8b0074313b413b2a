using DocServer.Benchmarks;

// Usage: dotnet run -c Release --project bench/DocServer.Benchmarks -- gate|evidence|app|soak|schedule|stream|telemetry [asks]|scale [chunks...]|index [chunks...]
return args switch
{
    ["gate"] => await GateBenchmark.RunAsync().ConfigureAwait(false),
    ["gate", "--baseline", var folder] => await Baseline.RunThenAsync(folder, "gate", GateBenchmark.RunAsync).ConfigureAwait(false),
    ["schedule", "--baseline", var folder] => await Baseline.RunThenAsync(folder, "schedule", ScheduleBenchmark.RunAsync).ConfigureAwait(false),
    ["evidence"] => await EvidenceBenchmark.RunAsync().ConfigureAwait(false),
    ["app"] => await AppBenchmark.RunAsync().ConfigureAwait(false),
    ["app", "--baseline", var folder] => await AppBenchmark.CompareAsync(folder).ConfigureAwait(false),
    ["soak"] => await SoakBenchmark.RunAsync().ConfigureAwait(false),
    ["schedule"] => await ScheduleBenchmark.RunAsync().ConfigureAwait(false),
    ["stream"] => await StreamBenchmark.RunAsync().ConfigureAwait(false),
    ["telemetry", .. var count] => await TelemetryBenchmark.RunAsync(count is [var n] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 1000).ConfigureAwait(false),
    ["index", .. var sizes] => ScaleBenchmark.RunInProcess(sizes.Length == 0 ? [20_000, 200_000, 1_000_000] : [.. sizes.Select(int.Parse)]),
    ["scale", .. var sizes] => await ScaleBenchmark.RunAsync(sizes.Length == 0 ? [200_000] : [.. sizes.Select(int.Parse)]).ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: DocServer.Benchmarks gate|evidence|app|soak|schedule|stream|telemetry [asks]|scale [chunks...]|index [chunks...]");
    Console.Error.WriteLine("  gate   gate latency, round trips, handoff gap, idle grant, storage requests: in-memory and the entity on a task hub side by side");
    Console.Error.WriteLine("  gate|schedule --baseline <folder>  the same benchmark of another build (its bench bin folder) first, then this build's, on this machine");
    Console.Error.WriteLine("  app        the app as a process on Azurite: start-up, memory, ask overhead at 1k and 20k chunks, BM25 query");
    Console.Error.WriteLine("  app --baseline <folder>  ask overhead of this build and of another build's app (its bin folder) side by side, interleaved");
    Console.Error.WriteLine("  soak       two app processes under asks, ingests and digests while the tunnel and then storage fail");
    Console.Error.WriteLine("  schedule   three app processes, 300 ms hosts: asks in arrival order vs per call, one host vs a pool of two, a host killed");
    Console.Error.WriteLine("  stream     the streamed ask: time to the first event after POST, and to the first answer token after the grant");
    Console.Error.WriteLine("  telemetry  the ask's overhead excluding the model, instrumented and exporting vs OpenTelemetry off (1000 asks each unless given)");
    Console.Error.WriteLine("  scale      a new app process on a seeded corpus (200000 chunks unless given): ready time, memory, retrieval");
    Console.Error.WriteLine("  index      the index alone, in-process, at 20k, 200k and 1M chunks: build time, retrieval, memory");
    Console.Error.WriteLine("  evidence   CPU and allocation of one evidence extraction excluding the LLM, and of the window alone");
    return 2;
}

using DocServer.Benchmarks;

// Usage: dotnet run -c Release --project bench/DocServer.Benchmarks -- gate
return args switch
{
    ["gate"] => await GateBenchmark.RunAsync().ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: DocServer.Benchmarks gate");
    Console.Error.WriteLine("  gate   gate latency, round trips, handoff gap and throughput: in-memory and Azurite side by side");
    return 2;
}

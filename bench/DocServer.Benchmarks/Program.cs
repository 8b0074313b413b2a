using DocServer.Benchmarks;

// Usage: dotnet run -c Release --project bench/DocServer.Benchmarks -- gate|evidence
return args switch
{
    ["gate"] => await GateBenchmark.RunAsync().ConfigureAwait(false),
    ["evidence"] => await EvidenceBenchmark.RunAsync().ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: DocServer.Benchmarks gate|evidence");
    Console.Error.WriteLine("  gate   gate latency, round trips, handoff gap and throughput: in-memory and Azurite side by side");
    Console.Error.WriteLine("  evidence   CPU and allocation of one evidence extraction excluding the LLM, and of the window alone");
    return 2;
}

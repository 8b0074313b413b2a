using DocServer.Core.Gates;
using DocServer.Core.Telemetry;
using DocServer.Functions.Configuration;
using DocServer.Llm.Health;
using DocServer.Storage.Entities;

namespace DocServer.Functions.Hosting;

/// <summary>The gates: one per gated endpoint (G1), each a row the client changes by compare-and-swap.</summary>
internal static class GateRegistration
{
    public static IServiceCollection AddDocServerGates(this IServiceCollection services)
    {
        services.AddSingleton(sp => Catalog(sp.DocServerOptions()));
        services.AddSingleton(sp => new GateClient(
            new EntityStore(sp.GetRequiredService<StorageResources>().Gates, sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<GateCatalog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GateClient>>(),
            new GateClientOptions(),
            sp.GetRequiredService<EndpointHealth>(),
            sp.GetRequiredService<PipelineMetrics>()));
        return services;
    }

    private static GateCatalog Catalog(DocServerOptions options) => new(
        options.Endpoints.Where(e => e.Value.Gated).ToDictionary(
            e => e.Key,
            e => new GatePolicy { Capacity = e.Value.Capacity, LeaseTtl = e.Value.LeaseTtl, WaiterTtl = e.Value.WaiterTtl, AgingAfter = e.Value.AgingAfter }),
        options.Endpoints.Where(e => !e.Value.Gated).Select(e => e.Key));
}

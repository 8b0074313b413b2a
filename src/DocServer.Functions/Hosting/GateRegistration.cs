using DocServer.Core.Gates;
using DocServer.Core.Telemetry;
using DocServer.Functions.Configuration;
using DocServer.Llm.Health;
using DocServer.Durable;
using DocServer.Durable.Gates;

namespace DocServer.Functions.Hosting;

/// <summary>The gates: one per gated endpoint (G1), each a Durable entity on the task hub (<see cref="GateEntity"/>).</summary>
internal static class GateRegistration
{
    public static IServiceCollection AddDocServerGates(this IServiceCollection services)
    {
        services.AddSingleton(sp => Catalog(sp.DocServerOptions()));
        services.AddSingleton(sp => new GateClient(
            new EntityGateStore(sp.GetRequiredService<IDurableWork>(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<GateCatalog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GateClient>>(),
            EntityGateStoreOptions.Polling(new GateClientOptions()),
            sp.GetRequiredService<PipelineMetrics>()));
        // The one wrapper every model call goes through (evidence, synthesis, summaries).
        services.AddSingleton(sp => new GatedModelCalls(
            sp.GetRequiredService<GateClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EndpointHealth>(), sp.GetRequiredService<PipelineMetrics>()));
        return services;
    }

    private static GateCatalog Catalog(DocServerOptions options) => new(
        options.Endpoints.Where(e => e.Value.Gated).ToDictionary(
            e => e.Key,
            e => new GatePolicy { Capacity = e.Value.Capacity, LeaseTtl = e.Value.LeaseTtl, WaiterTtl = e.Value.WaiterTtl, AgingAfter = e.Value.AgingAfter }),
        options.Endpoints.Where(e => !e.Value.Gated).Select(e => e.Key));
}

using DocServer.Functions.Configuration;
using Microsoft.Extensions.Azure;

namespace DocServer.Functions.Hosting;

/// <summary>Storage: the account AzureWebJobsStorage names, and the stores over it.</summary>
internal static class StorageRegistration
{
    public static IServiceCollection AddDocServerStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // The Azure SDKs' own logs reach ILogger (category "Azure.*", Warning and up by appsettings.json; Azure.Core's
        // per-response line only at Error: a 412 is how our compare-and-swap loses a race, and outages we log ourselves), and
        // credentials come from AzureWebJobsStorage__credential / __clientId, as the Functions host reads them.
        services.AddAzureClientsCore();
        services.AddSingleton(sp => StorageAccountSettings.From(configuration, sp.GetRequiredService<AzureComponentFactory>()));
        services.AddSingleton(sp => new StorageResources(
            sp.GetRequiredService<Storage.StorageAccount>(),
            sp.DocServerOptions(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().Documents);
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().IndexSnapshots);
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().Digests);

        services.AddSingleton<StorageProvisioner>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageProvisioner>());
        return services;
    }
}

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
        services.AddSingleton(sp => new StorageResources(
            StorageAccountSettings.From(configuration, sp.GetRequiredService<AzureComponentFactory>()),
            sp.DocServerOptions(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().Documents);
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().IndexSnapshots);
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().Asks);
        services.AddSingleton(sp => sp.GetRequiredService<StorageResources>().Digests);

        // Each queue under the name of the function that reads it.
        services.AddKeyedSingleton(FunctionNames.Extract, (sp, _) => sp.GetRequiredService<StorageResources>().Extract);
        services.AddKeyedSingleton(FunctionNames.AskJob, (sp, _) => sp.GetRequiredService<StorageResources>().AskQueue);
        services.AddSingleton<StorageProvisioner>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageProvisioner>());
        return services;
    }
}

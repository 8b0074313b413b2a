using DocServer.Functions.Configuration;
using Microsoft.Extensions.Azure;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Before the first request: the prompts and model clients are built (a broken prompt file or endpoint stops
/// start-up here, naming it, rather than failing the first ask). Storage is not waited for: it may be down, and
/// the app starts anyway (<see cref="StorageProvisioner"/>); the index loads after the app listens
/// (<see cref="Documents.IndexLoader"/>).
/// </summary>
internal sealed class StartupTasks(Prompts prompts, LanguageModels models, AzureEventSourceLogForwarder azureLogs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Our storage clients are not made by the Azure client factory, so its log forwarding is started here.
        azureLogs.Start();
        GC.KeepAlive(prompts);
        GC.KeepAlive(models);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using Microsoft.Extensions.Azure;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Before the first request: the prompts and model clients are built (a broken prompt file or endpoint
/// stops start-up here, naming it, rather than failing the first ask), storage exists (created if
/// missing) and the index holds every document.
/// </summary>
internal sealed class StartupTasks(Prompts prompts, LanguageModels models, StorageResources storage, DocumentIndex index, AzureEventSourceLogForwarder azureLogs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Our storage clients are not made by the Azure client factory, so its log forwarding is started here.
        azureLogs.Start();
        GC.KeepAlive(prompts);
        GC.KeepAlive(models);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await index.RefreshIfStaleAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

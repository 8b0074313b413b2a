using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Before the first request: the prompts and model clients are built (a broken prompt file or endpoint
/// stops start-up here, naming it, rather than failing the first ask), storage exists (created if
/// missing) and the index holds every document.
/// </summary>
internal sealed class StartupTasks(Prompts prompts, LanguageModels models, StorageResources storage, DocumentIndex index) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(prompts);
        GC.KeepAlive(models);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await index.RefreshIfStaleAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

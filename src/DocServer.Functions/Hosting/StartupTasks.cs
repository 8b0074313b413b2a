using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;

namespace DocServer.Functions.Hosting;

/// <summary>Before the first request: storage exists (created if missing) and the index holds every document.</summary>
public sealed class StartupTasks(StorageResources storage, DocumentIndex index) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await index.RefreshIfStaleAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using DocServer.Functions.Hosting;

namespace DocServer.Functions.Documents;

/// <summary>
/// Loads the index once the app listens (the Functions host waits only briefly for the handler to listen), then
/// refreshes it every IndexRefreshInterval, off the ask path, and writes the snapshot when it is due. Storage
/// failures are logged and retried at the interval; the index keeps answering from what it holds.
/// </summary>
internal sealed class IndexLoader(DocumentIndex index, IndexRefresher refresher, IndexSnapshotWriter writer, StorageProvisioner provisioner, TimeProvider time, ILogger<IndexLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up is not held up: the first load runs after the host has started listening.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                var wasReady = index.IsReady;
                await refresher.RefreshAsync(stoppingToken).ConfigureAwait(false);
                await writer.WriteIfDueAsync(stoppingToken).ConfigureAwait(false);
                if (!wasReady)
                {
                    var state = index.State;
                    var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
                    var load = refresher.LastLoad;
                    FunctionLog.IndexLoaded(logger, state.Documents, state.FromSnapshot, state.Chunks, elapsedMs, load?.SnapshotLoadedMs ?? 0, load?.ListedMs ?? 0, load?.BuildMs ?? 0);
                }
            }
            catch (Exception ex) when (Storage.StorageFailures.IsUnavailable(ex) && !stoppingToken.IsCancellationRequested)
            {
                FunctionLog.IndexStale(logger, ex.Message);
                provisioner.OutageSeen();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
            {
                // Anything else (a blob read cut off half-way, a row we cannot read) is logged with its stack and
                // tried again at the next interval: an escaped exception here would stop the whole host.
                FunctionLog.Failed(logger, ex, "IndexRefresh");
            }

            try
            {
                await Task.Delay(refresher.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}

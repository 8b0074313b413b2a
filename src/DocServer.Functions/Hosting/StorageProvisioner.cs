using System.Threading.Channels;
using DocServer.Functions.Configuration;
using DocServer.Storage;

namespace DocServer.Functions.Hosting;

/// <summary>
/// Creates the app's tables, containers and queues, and the task hub's: at start, tried again until storage answers (the app listens
/// meanwhile, and health says "unhealthy"), and again whenever a part of the app meets a storage outage (a table
/// that vanished with a restored account, or an emulator that lost its data, is created again, and requests answer
/// 503 until it is). Creating what exists costs one request per resource, so a burst of outages asks for one pass.
/// </summary>
internal sealed class StorageProvisioner(StorageResources storage, DocServer.Durable.TaskHub.TaskHubService taskHub, TimeProvider time, ILogger<StorageProvisioner> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    // One pending request is enough: a pass that runs after it covers every outage reported before it started.
    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>How long start-up waits for the first pass before the app listens without it.</summary>
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(5);

    private volatile string? notReady = "not created yet";

    /// <summary>Null once a pass has created everything; else why not (storage down, or a pass still to come).</summary>
    public string? NotReady => notReady;

    /// <summary>Asks for a pass (never waits for it): something met storage down or a resource missing.</summary>
    public void OutageSeen() => requests.Writer.TryWrite(true);

    /// <summary>
    /// One pass before the app listens, so that with storage up the first request finds everything; with storage
    /// down (or slow past <see cref="StartupWait"/>) the app starts anyway and the passes go on in the background.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StartupWait);
        await TryCreateAsync(1, TimeSpan.Zero, wait.Token, cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (NotReady is null)
            {
                await requests.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                await CreateUntilDoneAsync(stoppingToken).ConfigureAwait(false);
                await requests.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested && (ex is OperationCanceledException || StorageFailures.IsUnavailable(ex)))
        {
            // Stopping (a pass that storage failed while the app stops is not a failure of the app's stop).
        }
    }

    private async Task CreateUntilDoneAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        for (var attempt = 1; !await TryCreateAsync(attempt, delay, stoppingToken, stoppingToken).ConfigureAwait(false); attempt++)
        {
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = delay * 2 < LongestRetry ? delay * 2 : LongestRetry;
        }
    }

    /// <summary>One pass: true when everything exists; false (and why, in <see cref="NotReady"/>) when storage did not answer.</summary>
    private async Task<bool> TryCreateAsync(int attempt, TimeSpan retryIn, CancellationToken token, CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(storage.EnsureCreatedAsync(token), taskHub.CreateIfNotExistsAsync(token)).ConfigureAwait(false);
            // A background pass (it has a retry delay) that succeeds after a failure says so; the start-up pass has
            // nothing to recover from.
            if (notReady is not null && retryIn > TimeSpan.Zero)
            {
                StorageLog.Provisioned(logger, attempt);
            }

            notReady = null;
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (StorageFailures.IsUnavailable(ex) || ex is OperationCanceledException))
        {
            // Unavailable, or the start-up pass ran out of its time: the background passes carry on.
            notReady = StorageFailures.Describe(ex);
            StorageLog.ProvisionFailed(logger, attempt, retryIn.TotalSeconds, notReady);
            return false;
        }
    }
}

using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DocServer.Core.Answers;
using DocServer.Core.Evidence;
using DocServer.Core.Gates;
using DocServer.Core.Telemetry;
using DocServer.Functions.Configuration;
using DocServer.Functions.Documents;
using DocServer.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Ask;

/// <summary>The ask pipeline: retrieve, extract evidence (FOREGROUND), synthesise (FOREGROUND); whole or streamed.</summary>
internal sealed class AskService(
    DocumentIndex index,
    EvidenceExtractor extractor,
    AnswerSynthesizer synthesizer,
    PipelineMetrics metrics,
    IOptions<DocServerOptions> options,
    TimeProvider time,
    ILogger<AskService> logger)
{
    /// <summary>
    /// Null when asks can be answered; while this instance still loads its index, how far it is (the ask is refused
    /// and counted with outcome not_ready).
    /// </summary>
    public IndexLoading? StillLoading()
    {
        if (index.Loading is not { } loading)
        {
            return null;
        }

        metrics.Asked("not_ready", nameof(IndexLoading), TimeSpan.Zero);
        return loading;
    }

    /// <summary>Answers <paramref name="question"/>; <paramref name="arrivedAt"/> is when the ask arrived (now unless it was queued).</summary>
    public Task<AskResponse> AskAsync(string question, DateTimeOffset? arrivedAt, CancellationToken cancellationToken) =>
        RunAsync(question, arrivedAt, null, cancellationToken);

    /// <summary>
    /// The ask as server-sent events (see <see cref="AskProgress"/>), a ping every StreamPingInterval so proxies keep
    /// the connection. The caller going away cancels the ask: its ticket is withdrawn, or its lease freed and the
    /// model's generation stopped (the stream to the host is closed).
    /// </summary>
    public async IAsyncEnumerable<SseItem<object>> StreamAsync(string question, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<SseItem<object>>(new UnboundedChannelOptions { SingleReader = true });
        var progress = new AskProgress(events.Writer);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(() => RunStreamedAsync(question, progress, events.Writer, stop.Token), CancellationToken.None);
        var pings = PingAsync(progress, stop.Token);
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(run, pings).ConfigureAwait(false);
        }
    }

    private async Task RunStreamedAsync(string question, AskProgress progress, ChannelWriter<SseItem<object>> events, CancellationToken cancellationToken)
    {
        try
        {
            progress.Done(await RunAsync(question, null, progress, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var logged = Core.Text.QueryForLog.Of(question);
            AskLog.StreamAbandoned(logger, logged);
        }
        catch (Exception ex) when (ErrorResponses.IsStorageOutage(ex))
        {
            progress.Error(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable", $"Storage could not be reached ({ex.GetType().Name}); ask again in a few seconds.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The headers are sent: the stream's own error event is the only way left to say so.
            var logged = Core.Text.QueryForLog.Of(question);
            AskLog.StreamFailed(logger, ex, logged);
            progress.Error(StatusCodes.Status500InternalServerError, "The ask failed", $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            events.TryComplete();
        }
    }

    private async Task PingAsync(AskProgress progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.StreamPingInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                progress.Ping();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The ask is over or the caller left: no more pings.
        }
    }

    /// <summary>One ask, one span with the steps as its children (retrieve, extract evidence, synthesise), and one measurement by outcome.</summary>
    private async Task<AskResponse> RunAsync(string question, DateTimeOffset? arrivedAt, AskProgress? progress, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.Source.StartActivity("ask");
        var started = time.GetTimestamp();
        try
        {
            var response = await AnswerAsync(question, arrivedAt, progress, started, cancellationToken).ConfigureAwait(false);
            var (outcome, reason) = Outcome(response);
            activity?.SetTag(PipelineTags.AskOutcome, outcome);
            activity?.SetTag(PipelineTags.AskReason, reason);
            metrics.Asked(outcome, reason, time.GetElapsedTime(started));
            return response;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var outcome = ex switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => "cancelled",
                _ => "error",
            };
            activity?.SetTag(PipelineTags.AskOutcome, outcome);
            if (outcome == "error")
            {
                activity.Fail(ex.GetType().FullName ?? ex.GetType().Name, ex.Message);
            }

            metrics.Asked(outcome, ex.GetType().Name, time.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<AskResponse> AnswerAsync(string question, DateTimeOffset? arrivedAt, AskProgress? progress, long started, CancellationToken cancellationToken)
    {
        // G11: both calls are served by the ask's arrival, and the evidence call's lease keeps the ask's place
        // for its synthesis. PerCall (a benchmark's baseline) lets every call queue on its own.
        var perAsk = options.Value.AskOrder == AskOrder.PerAsk;
        await using var request = perAsk || progress is not null
            ? new GateRequest(perAsk ? arrivedAt ?? time.GetUtcNow() : null) { OnWaiting = progress is null ? null : progress.Queued }
            : null;
        IReadOnlyList<SearchResult> results;
        using (var retrieval = PipelineTelemetry.Source.StartActivity("retrieve"))
        {
            results = index.Search(question, options.Value.RetrievalTopK);
            retrieval?.SetTag(PipelineTags.Chunks, results.Count);
        }

        progress?.Retrieved(results);
        var retrieved = time.GetTimestamp();
        request?.KeepPlaceAfterCall = perAsk;
        EvidenceResult evidence;
        using (var extraction = PipelineTelemetry.Source.StartActivity("extract evidence"))
        {
            evidence = await extractor.ExtractAsync(question, results, request, cancellationToken).ConfigureAwait(false);
            extraction?.SetTag(PipelineTags.EvidenceOutcome, evidence.SkipReason ?? "model");
        }

        metrics.EvidenceExtracted(evidence.SkipReason);
        progress?.Evidence(evidence);
        progress?.Call = "synthesis";
        var extracted = time.GetTimestamp();
        request?.KeepPlaceAfterCall = false;
        Answer answer;
        using (PipelineTelemetry.Source.StartActivity("synthesise"))
        {
            answer = await synthesizer.SynthesizeAsync(question, evidence.Items, request, progress is null ? null : progress.Text, cancellationToken).ConfigureAwait(false);
        }

        var done = time.GetTimestamp();
        return new AskResponse(
            question,
            answer.Text,
            answer.Found,
            answer.Extractive,
            answer.Citations,
            Contracts.EvidenceItemResponse.From(evidence.Items),
            new AskSkipReasons(evidence.SkipReason, answer.Reason),
            new AskEndpoints(evidence.Stats.Endpoint, answer.Endpoint),
            new AskTimings(
                Ms(started, retrieved),
                Ms(retrieved, extracted),
                evidence.Stats.GateWaitMs,
                evidence.Stats.LlmMs,
                Ms(extracted, done),
                answer.GateWaitMs,
                answer.LlmMs,
                Ms(started, done)));
    }

    /// <summary>found: the model's cited answer; extractive: quoted from the evidence (the reason says why); not_found: no evidence.</summary>
    private static (string Outcome, string? Reason) Outcome(AskResponse response) =>
        !response.Found ? ("not_found", response.SkipReasons.Synthesis)
        : response.Extractive ? ("extractive", response.SkipReasons.Synthesis)
        : ("found", null);

    private double Ms(long from, long to) => time.GetElapsedTime(from, to).TotalMilliseconds;
}

using DocServer.Core.Llm;
using DocServer.Core.Telemetry;
namespace DocServer.Functions.Configuration;

/// <summary>
/// Every setting of the app, bound from the "DocServer" section (in Azure app settings and
/// local.settings.json, written DocServer__Name__Sub). Validated at start-up by <see cref="DocServerOptionsValidator"/>.
/// </summary>
internal sealed class DocServerOptions
{
    public const string Section = "DocServer";

    public Dictionary<string, EndpointOptions> Endpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// G12: the endpoints that serve asks (evidence and synthesis, FOREGROUND), comma-separated: hosts serving
    /// the same model, in order of preference. A call takes the first of them to grant.
    /// </summary>
    public string AskEndpoints { get; set; } = "macmini";

    /// <summary>The endpoints that serve digests and extraction (BACKGROUND), comma-separated, as for asks.</summary>
    public string BackgroundEndpoints { get; set; } = "macmini";

    /// <summary>
    /// An ungated endpoint (G10, a cloud model) that answers an ask's call when no ask endpoint can within
    /// <see cref="AskWaitBudget"/> or all are down. Empty (the default): never, since the documents are private.
    /// </summary>
    public string? AskOverflowEndpoint
    {
        get;
        set => field = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>
    /// G11: PerAsk (the default) serves an ask's calls in the order the asks arrived, its synthesis keeping the
    /// place its evidence had; PerCall serves every call by its own arrival (for comparison in the benchmark).
    /// </summary>
    public AskOrder AskOrder { get; set; } = AskOrder.PerAsk;

    public IReadOnlyList<string> AskPool => Split(AskEndpoints);

    public IReadOnlyList<string> BackgroundPool => Split(BackgroundEndpoints);

    // Model calls stream their reply, so each kind has three deadlines: its first token (the host is
    // alive and has read the prompt), the longest pause between chunks (still producing), and a cap on the
    // whole call, counted from the gate grant (G2). A long answer that keeps coming is not cut; a stuck host
    // is let go after the first-token deadline. The seed measured 30-48 s per synthesis on the Mac.

    /// <summary>Evidence (one batched call, a JSON reply of at most ~1500 tokens).</summary>
    public TimeSpan EvidenceFirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan EvidenceIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan EvidenceTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Synthesis (the answer, up to ~800 tokens).</summary>
    public TimeSpan SynthesisFirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan SynthesisIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan SynthesisTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Background summaries (a prompt of up to 6000 characters of the document).</summary>
    public TimeSpan SummaryFirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan SummaryIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan SummaryTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>G13: how often a down endpoint is probed; deferred background work is retried as often.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>E17: how long an ask waits for the gate before answering from rules (per call).</summary>
    public TimeSpan AskWaitBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long background work waits for the gate before trying again later.</summary>
    public TimeSpan BackgroundWaitBudget { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The delay before an extraction that failed on a healthy host is tried again (then doubled; 3 attempts in all).</summary>
    public TimeSpan ExtractionRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A streamed ask sends a ping this often, so proxies do not cut a connection that waits for the Mac.</summary>
    public TimeSpan StreamPingInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int RetrievalTopK { get; set; } = 10;

    public int MaxQuestionChars { get; set; } = 2000;

    public int MaxDocumentChars { get; set; } = 1_000_000;

    /// <summary>Largest request body accepted (documents included); bigger is 413.</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long the result of an asynchronous ask can be fetched.</summary>
    public TimeSpan AsyncResultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How stale this instance's copy of the shared index may get: it follows the change log this often.</summary>
    public TimeSpan IndexRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the index snapshot (every document's chunks in a few blobs, what a new instance loads from) is
    /// rewritten when documents changed; by whichever instance takes the writer lease.
    /// </summary>
    public TimeSpan IndexSnapshotInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the extraction queue's approximate length is read for the backlog metric (one cheap request).</summary>
    public TimeSpan BacklogSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A digest covers documents stamped up to this long before the run starts. A document is stamped one
    /// storage request before its row is written (seconds at worst, with retries), so one stamped inside a
    /// run's window is always visible to that run; without the lag, a document stamped just before the cut-off
    /// but written after the run listed the documents would fall between two runs, forever.
    /// </summary>
    public TimeSpan DigestCutoffLag { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>NCrontab with seconds, as the Functions host: "sec min hour day month weekday". App setting <c>DocServerDigestSchedule</c>.</summary>
    public string DigestSchedule { get; set; } = "0 0 7 * * *";

    /// <summary>App setting <c>DocServerGateSweepSchedule</c>.</summary>
    public string GateSweepSchedule { get; set; } = "*/5 * * * * *";

    /// <summary>
    /// App setting <c>DocServerExtractionCatchUpSchedule</c>: how often stored versions that were never scheduled for
    /// extraction (their ingest could not reach the task hub) are scheduled. Each run lists the documents once.
    /// </summary>
    public string ExtractionCatchUpSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>
    /// App setting <c>DocServerTaskHub</c>: the Durable task hub (its queues, tables and blobs are named after it) where
    /// the gates, extractions and digests run. Apps (or test runs) sharing an account each need their own.
    /// </summary>
    public string TaskHub { get; set; } = "DocServer";

    /// <summary>
    /// Storage on a request's path (gates, documents): the network timeout of one try, and the retries after it.
    /// An ask must not sit in storage retries: one retry, a short timeout, then it degrades.
    /// </summary>
    public TimeSpan StorageAskTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int StorageAskRetries { get; set; } = 1;

    /// <summary>Storage for background work (queues, digests, async ask results), which can wait longer.</summary>
    public TimeSpan StorageBackgroundTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int StorageBackgroundRetries { get; set; } = 5;

    /// <summary>Relative to the app's folder unless absolute.</summary>
    public string PromptsPath { get; set; } = "prompts";

    /// <summary>Prefix of every table, container and queue name, so several apps (or tests) can share an account.</summary>
    public string StoragePrefix { get; set; } = "docserver";

    /// <summary>The deadlines of one kind of call, from its three settings (kept flat: they are app settings).</summary>
    public CallDeadlines Deadlines(ModelCallKind kind) => kind switch
    {
        ModelCallKind.Evidence => new(EvidenceTimeout, EvidenceFirstTokenTimeout, EvidenceIdleTimeout),
        ModelCallKind.Synthesis => new(SynthesisTimeout, SynthesisFirstTokenTimeout, SynthesisIdleTimeout),
        ModelCallKind.Summary => new(SummaryTimeout, SummaryFirstTokenTimeout, SummaryIdleTimeout),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No deadlines are configured for this kind of call."),
    };

    /// <summary>
    /// Standalone: run the timers, queue listeners, orchestrations and activities in-process (default on); off, the
    /// process still hosts the gate entities. Under the Functions host the app never runs its own: the host triggers
    /// the functions.
    /// </summary>
    public bool? Standalone { get; set; }

    /// <summary>
    /// Standalone: the key every /api call must carry (x-functions-key, or ?code=), as the Functions host asks for
    /// authLevel function; required once the app listens beyond loopback. Under the host, the host's keys apply.
    /// </summary>
    public string? FunctionKey { get; set; }

    private static string[] Split(string endpoints) =>
        (endpoints ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Storage on a request's path: a short network timeout and few retries, then the request degrades.</summary>
    public Storage.StorageRetry InteractiveRetry() => new(StorageAskTimeout, StorageAskRetries, TimeSpan.FromMilliseconds(50));
}

using Microsoft.Extensions.Options;
using NCrontab;

namespace DocServer.Functions.Configuration;

/// <summary>Start-up checks with messages that name the setting to fix.</summary>
internal sealed class DocServerOptionsValidator : IValidateOptions<DocServerOptions>
{
    private const string P = "DocServer:";

    public ValidateOptionsResult Validate(string? name, DocServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Endpoints(errors, options);
        foreach (var (setting, pool) in new[] { ("AskEndpoints", options.AskPool), ("BackgroundEndpoints", options.BackgroundPool) })
        {
            Pool(errors, options, setting, pool);
        }

        Overflow(errors, options);
        Triggers(errors, options);
        Durations(errors, options);
        Limits(errors, options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Each endpoint: a usable name, URL and model, and gate settings the gate accepts (its bounds are the gate's own).</summary>
    private static void Endpoints(List<string> errors, DocServerOptions options)
    {
        if (options.Endpoints.Count == 0)
        {
            errors.Add($"{P}Endpoints: configure at least one LLM endpoint (e.g. {P}Endpoints:macmini:Url and :Model).");
        }

        foreach (var (endpoint, settings) in options.Endpoints)
        {
            var at = $"{P}Endpoints:{endpoint}";
            if (!Core.Gates.GateCatalog.IsValidName(endpoint))
            {
                errors.Add($"{at}: endpoint names are 1-63 lowercase letters, digits or '-'.");
            }

            if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{at}:Url must be an absolute http(s) URL such as http://macmini.local:8080/v1 (got '{settings.Url}').");
            }

            if (string.IsNullOrWhiteSpace(settings.Model))
            {
                errors.Add($"{at}:Model must name the model the server has loaded.");
            }

            var policy = new Core.Gates.GatePolicy { Capacity = settings.Capacity, LeaseTtl = settings.LeaseTtl, WaiterTtl = settings.WaiterTtl, AgingAfter = settings.AgingAfter };
            errors.AddRange(policy.Problems().Select(p => $"{at}:{p.Setting} {p.Message}"));
        }
    }

    private static void Overflow(List<string> errors, DocServerOptions options)
    {
        if (options.AskOverflowEndpoint is not { } overflow)
        {
            return;
        }

        if (!options.Endpoints.TryGetValue(overflow, out var settings))
        {
            errors.Add($"{P}AskOverflowEndpoint '{overflow}' is not one of the configured endpoints ({string.Join(", ", options.Endpoints.Keys)}); leave it empty to never overflow.");
        }
        else if (settings.Gated || options.AskPool.Contains(overflow))
        {
            errors.Add($"{P}AskOverflowEndpoint '{overflow}' must be an ungated endpoint (Endpoints:{overflow}:Gated false, G10) that is not one of AskEndpoints.");
        }
    }

    /// <summary>The timers' schedules and the queues' names, as the Functions host needs them.</summary>
    private static void Triggers(List<string> errors, DocServerOptions options)
    {
        foreach (var (setting, schedule) in new[] { (FlatSettings.DigestSchedule, options.DigestSchedule), (FlatSettings.GateSweepSchedule, options.GateSweepSchedule), (FlatSettings.ExtractionCatchUpSchedule, options.ExtractionCatchUpSchedule) })
        {
            if (CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
            {
                errors.Add($"{setting} '{schedule}' is not a 6-field cron expression (sec min hour day month weekday).");
            }
        }

        // The task hub names tables, queues and a blob container: the Durable extension's rule.
        if (options.TaskHub is not { Length: >= 3 and <= 45 } || !System.Text.RegularExpressions.Regex.IsMatch(options.TaskHub, "^[A-Za-z][A-Za-z0-9]+$"))
        {
            errors.Add($"{FlatSettings.TaskHub} '{options.TaskHub}' must be a task hub name: 3-45 letters and digits, starting with a letter.");
        }
    }

    private static void Durations(List<string> errors, DocServerOptions options)
    {
        foreach (var (setting, value) in new[]
        {
            ("EvidenceFirstTokenTimeout", options.EvidenceFirstTokenTimeout), ("EvidenceIdleTimeout", options.EvidenceIdleTimeout), ("EvidenceTimeout", options.EvidenceTimeout),
            ("SynthesisFirstTokenTimeout", options.SynthesisFirstTokenTimeout), ("SynthesisIdleTimeout", options.SynthesisIdleTimeout), ("SynthesisTimeout", options.SynthesisTimeout),
            ("SummaryFirstTokenTimeout", options.SummaryFirstTokenTimeout), ("SummaryIdleTimeout", options.SummaryIdleTimeout), ("SummaryTimeout", options.SummaryTimeout),
            ("ProbeInterval", options.ProbeInterval), ("StreamPingInterval", options.StreamPingInterval),
            ("IndexRefreshInterval", options.IndexRefreshInterval), ("IndexSnapshotInterval", options.IndexSnapshotInterval),
            ("BacklogSampleInterval", options.BacklogSampleInterval),
            ("AskWaitBudget", options.AskWaitBudget), ("BackgroundWaitBudget", options.BackgroundWaitBudget), ("ExtractionRetryDelay", options.ExtractionRetryDelay), ("AsyncResultTtl", options.AsyncResultTtl),
            ("StorageAskTimeout", options.StorageAskTimeout), ("StorageBackgroundTimeout", options.StorageBackgroundTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{P}{setting} must be a positive duration such as 00:00:30 (got {value}).");
            }
        }

        if (options.DigestCutoffLag < TimeSpan.Zero)
        {
            errors.Add($"{P}DigestCutoffLag must not be negative (got {options.DigestCutoffLag}).");
        }
    }

    private static void Limits(List<string> errors, DocServerOptions options)
    {
        if (options.StorageAskRetries is < 0 or > 3)
        {
            errors.Add($"{P}StorageAskRetries must be between 0 and 3: an ask must not sit in storage retries (got {options.StorageAskRetries}).");
        }

        if (options.StorageBackgroundRetries is < 0 or > 10)
        {
            errors.Add($"{P}StorageBackgroundRetries must be between 0 and 10 (got {options.StorageBackgroundRetries}).");
        }

        if (options.RetrievalTopK is < 1 or > 100)
        {
            errors.Add($"{P}RetrievalTopK must be between 1 and 100 (got {options.RetrievalTopK}).");
        }

        if (options.MaxQuestionChars is < 10 or > 20_000)
        {
            errors.Add($"{P}MaxQuestionChars must be between 10 and 20000 (got {options.MaxQuestionChars}).");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.StoragePrefix, "^[a-z][a-z0-9]{2,19}$"))
        {
            errors.Add($"{P}StoragePrefix must be 3-20 lowercase letters and digits, starting with a letter (got '{options.StoragePrefix}').");
        }
    }

    /// <summary>G12: a pool names configured endpoints, each once; several only if all are gated (MLX hosts).</summary>
    private static void Pool(List<string> errors, DocServerOptions options, string setting, IReadOnlyList<string> pool)
    {
        var at = $"DocServer:{setting}";
        if (pool.Count == 0)
        {
            errors.Add($"{at} must name at least one endpoint, e.g. 'macmini' or 'macmini,macstudio'.");
            return;
        }

        foreach (var endpoint in pool.Where(e => !options.Endpoints.ContainsKey(e)))
        {
            errors.Add($"{at} '{endpoint}' is not one of the configured endpoints ({string.Join(", ", options.Endpoints.Keys)}).");
        }

        if (pool.Distinct(StringComparer.Ordinal).Count() != pool.Count)
        {
            errors.Add($"{at} names an endpoint twice ('{string.Join(",", pool)}').");
        }

        if (pool.Count > 1 && pool.FirstOrDefault(e => options.Endpoints.TryGetValue(e, out var o) && !o.Gated) is { } ungated)
        {
            errors.Add($"{at}: '{ungated}' is ungated (G10); a pool of several endpoints is MLX hosts behind gates. Use AskOverflowEndpoint for a cloud model.");
        }
    }
}

using Microsoft.Extensions.Options;

namespace DocServer.Functions.Configuration;

/// <summary>Start-up checks of what the app takes from host.json, with messages that name the setting.</summary>
internal sealed class FunctionsHostOptionsValidator(IOptions<DocServerOptions> app) : IValidateOptions<FunctionsHostOptions>, IValidateOptions<QueueTriggerOptions>
{
    public ValidateOptionsResult Validate(string? name, FunctionsHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var minimum = FunctionTimeoutRule.Minimum(app.Value);
        return options.FunctionTimeout >= minimum
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"host.json functionTimeout {options.FunctionTimeout} is shorter than DocServer:BackgroundWaitBudget + DocServer:SummaryTimeout + {FunctionTimeoutRule.Margin} ({minimum}): " +
                "the host would kill background work before it gives up. Raise functionTimeout or lower the budgets.");
    }

    public ValidateOptionsResult Validate(string? name, QueueTriggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string At = "host.json extensions.queues.";
        if (options.BatchSize is < 1 or > 32)
        {
            errors.Add($"{At}batchSize must be between 1 and 32, the most a queue gives at once (got {options.BatchSize}).");
        }

        if (options.MaxDequeueCount < 1)
        {
            errors.Add($"{At}maxDequeueCount must be at least 1 (got {options.MaxDequeueCount}).");
        }

        if (options.VisibilityTimeout < TimeSpan.Zero || options.VisibilityTimeout > TimeSpan.FromDays(7))
        {
            errors.Add($"{At}visibilityTimeout must be between 00:00:00 and 7 days (got {options.VisibilityTimeout}).");
        }

        if (options.MaxPollingInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{At}maxPollingInterval must be at least 00:00:00.1 (got {options.MaxPollingInterval}); shorter busy-loops on an empty queue.");
        }

        if (!string.Equals(options.MessageEncoding, "base64", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{At}messageEncoding must be base64, the encoding the app sends its queue messages in (got '{options.MessageEncoding}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

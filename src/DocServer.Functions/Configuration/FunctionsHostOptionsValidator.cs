using Microsoft.Extensions.Options;

namespace DocServer.Functions.Configuration;

/// <summary>Start-up checks of what the app takes from host.json, with messages that name the setting.</summary>
internal sealed class FunctionsHostOptionsValidator(IOptions<DocServerOptions> app) : IValidateOptions<FunctionsHostOptions>
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
}

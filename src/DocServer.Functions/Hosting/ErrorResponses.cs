using DocServer.Core.Gates;
using DocServer.Storage;
using DocServer.Storage.Documents;
using Microsoft.AspNetCore.Diagnostics;

namespace DocServer.Functions.Hosting;

/// <summary>
/// What a failed request answers, as problem details: the caller's mistakes are 4xx with what to fix
/// (logged at Information, no stack trace); a storage outage is 503 with Retry-After and the cause (logged
/// as a warning); a write that other writes to the same document kept beating is 409 with Retry-After (nothing was
/// kept, so trying again is safe); anything else is a 500 whose details stay in the log, with its stack trace.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>Seconds a caller should wait after a 503 before trying again: storage blips last seconds.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>After a 503 from an instance still loading its index: loads take seconds.</summary>
    public const int IndexRetryAfterSeconds = 2;

    /// <summary>After a 409 for a contended write: the other writes each take a round trip or two.</summary>
    public const int ContendedRetryAfterSeconds = 1;

    public static IServiceCollection AddErrorResponses(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses).FullName!);
            if (error is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.InnerException is System.Text.Json.JsonException json
                    ? $"The body is not valid JSON: {json.Message}"
                    : bad.Message;
                FunctionLog.ClientError(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, bad.StatusCode, context.ProblemDetails.Detail);
            }
            else if (error is not null && IsStorageOutage(error))
            {
                // Storage back without our tables (a restored account) answers 503 until they are created again.
                http.RequestServices.GetRequiredService<StorageProvisioner>().OutageSeen();
                context.ProblemDetails.Title = "Storage is unavailable";
                context.ProblemDetails.Detail =
                    $"The app could not reach its storage ({Storage.StorageFailures.Describe(error)}). Nothing is half-written (a document is stored whole or not at all); try again in {RetryAfterSeconds} seconds.";
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                FunctionLog.StorageUnavailable(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, context.ProblemDetails.Detail);
            }
            else if (error is ContendedWriteException contended)
            {
                context.ProblemDetails.Title = "The document is being changed by other requests";
                context.ProblemDetails.Detail = $"{contended.Message} Try again in {ContendedRetryAfterSeconds} second.";
                http.Response.Headers.RetryAfter = ContendedRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                FunctionLog.WriteContended(logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, contended.Attempts);
            }
        });

    public static IApplicationBuilder UseErrorResponses(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                // Bad request bodies (malformed JSON, too large) are the caller's to fix, not server errors.
                BadHttpRequestException bad => bad.StatusCode,
                _ when IsStorageOutage(ex) => StatusCodes.Status503ServiceUnavailable,
                ContendedWriteException => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status500InternalServerError,
            },
            // Client errors, outages and contended writes are logged above, once, without a stack trace; real faults
            // keep the middleware's error log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException or ContendedWriteException || IsStorageOutage(context.Exception),
        });
        app.UseStatusCodePages();
        return app;
    }

    public static bool IsStorageOutage(Exception exception) =>
        exception is GateUnavailableException || StorageFailures.IsUnavailable(exception);
}

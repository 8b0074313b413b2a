using System.Diagnostics;

namespace DocServer.Core.Telemetry;

/// <summary>
/// The name the pipeline's spans and instruments are published under. Core only publishes, with the BCL's
/// <see cref="ActivitySource"/> and <c>Meter</c>: what listens and where it is exported is the app's choice,
/// and with no listener a span is never created.
/// </summary>
public static class PipelineTelemetry
{
    public const string Name = "DocServer";

    /// <summary>One source for every span of the pipeline: ask, retrieval, gate wait, model call, extraction, digest.</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Marks a span failed the way OpenTelemetry reads it: error status and <c>error.type</c>.</summary>
    public static void Fail(this Activity? activity, string errorType, string? description = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description ?? errorType);
        activity.SetTag(PipelineTags.ErrorType, errorType);
    }
}

namespace DocServer.Functions.Hosting;

/// <summary>
/// Tells a start by the Functions host from any other: the host passes its gRPC endpoint as <c>--functions-uri</c>
/// (older hosts also <c>--host</c>/<c>--port</c>), which the worker reads as Functions:Worker:HostEndpoint; the
/// environment variable of that key counts too. Without it the worker cannot run at all (it exits at once), so
/// anything else is standalone.
/// </summary>
internal static class FunctionsWorkerLaunch
{
    public const string HostEndpointVariable = "Functions__Worker__HostEndpoint";

    public static bool IsStartedByFunctionsHost(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a.Equals("--functions-uri", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--functions-uri=", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HostEndpointVariable));
    }
}

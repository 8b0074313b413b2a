using DocServer.Functions.Hosting;
using Microsoft.Extensions.Options;

// One executable, two ways of running, decided before anything is built: the Functions host starts its worker
// with its gRPC endpoint on the command line, and then the [Function] methods are the app's surface; started any
// other way (dotnet run, ./run.sh, the tests) it serves the same routes and runs the same timers and queues itself.
if (FunctionsWorkerLaunch.IsStartedByFunctionsHost(args))
{
    await WorkerApp.CreateBuilder(args).Build().RunAsync().ConfigureAwait(false);
    return 0;
}

try
{
    // Settings and prompts sit beside the app, wherever it is started from.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddDocServer();
    builder.AddStandalone();
    var app = builder.Build();
    app.MapDocServer();
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A setting that cannot work: say which and why, without a stack trace, and exit as a failed start.
    await Console.Error.WriteLineAsync($"DocServer cannot start:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", invalid.Failures)}").ConfigureAwait(false);
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

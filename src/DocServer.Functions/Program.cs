using DocServer.Functions.Hosting;

// One executable, two ways of running, decided before anything is built: the Functions host starts its worker
// with its gRPC endpoint on the command line, and then the [Function] methods are the app's surface; started any
// other way (dotnet run, ./run.sh, the tests) it serves the same routes and runs the same timers and queues itself.
if (FunctionsWorkerLaunch.IsStartedByFunctionsHost(args))
{
    await WorkerApp.CreateBuilder(args).Build().RunAsync().ConfigureAwait(false);
    return;
}

// Settings and prompts sit beside the app, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddDocServer();
builder.AddStandalone();
var app = builder.Build();
app.MapDocServer();
await app.RunAsync().ConfigureAwait(false);

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

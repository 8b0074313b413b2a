using DocServer.Functions.Hosting;

// Runs standalone (dotnet run: port 7071, own timers and queue listener) or as an Azure Functions
// custom handler (the host sets FUNCTIONS_CUSTOMHANDLER_PORT and triggers timers and queues).
if (args is ["write-functions", var directory])
{
    // Used by the publish step: the function.json files come from the same catalog the app serves.
    FunctionCatalog.WriteFunctionJsonFiles(directory);
    return;
}

// Settings and prompts sit beside the app, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddDocServer();
var app = builder.Build();
app.MapDocServer();
await app.RunAsync().ConfigureAwait(false);

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

using DocServer.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The app as the Functions host runs it: the isolated worker with ASP.NET Core integration (HTTP functions get
/// the real HttpRequest and may stream), the services standalone has, and the worker's telemetry. Settings come
/// as the host gives them: app settings in the environment, and the command line the host starts the worker with.
/// </summary>
internal static class WorkerApp
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var worker = FunctionsApplication.CreateBuilder(args);
        worker.ConfigureFunctionsWebApplication();
        worker.AddDocServer();
        worker.AddFunctionsWorkerTelemetry();
        return worker;
    }
}

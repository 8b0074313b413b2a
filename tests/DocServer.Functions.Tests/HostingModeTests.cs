using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DocServer.Core.Entities;
using DocServer.Core.Gates;
using DocServer.Functions.Configuration;
using DocServer.Storage.Entities;
using DocServer.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DocServer.Functions.Tests;

public sealed class HostingModeTests
{
    [Fact]
    public async Task UnderTheFunctionsHost_ListensOnTheCustomHandlerPortAndRunsNoTimersOfItsOwn()
    {
        var azurite = await AzuriteServer.GetAsync();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "DocServer.Functions.dll") },
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DocServer__StoragePrefix"] = "h" + Guid.NewGuid().ToString("N")[..12];
        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient();
            HttpResponseMessage? status = null;
            for (var i = 0; i < 300 && status is null; i++)
            {
                try
                {
                    status = await http.GetAsync($"http://127.0.0.1:{port}/api/gate/status");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.Equal(HttpStatusCode.OK, status?.StatusCode);
            var sweep = await http.PostAsync($"http://127.0.0.1:{port}/GateSweep", new StringContent("{\"Data\":{},\"Metadata\":{}}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
            Assert.DoesNotContain(output, line => line.Contains("standalone mode", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Standalone_GateSweepTimerFiresOnItsCronScheduleAndExpiresADeadLease()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true", ["DocServer:GateSweepSchedule"] = "* * * * * *" });
        var store = new EntityStore(new TableEntityRowStore(app.Services.GetRequiredService<StorageResources>().Gates), TimeProvider.System);
        var key = new EntityKey("gate", "macmini");

        // A holder that died a minute ago, and nobody else touching the gate: only the timer can clean up.
        var machine = new GateMachine(GatePolicy.Default);
        var dead = machine.Acquire(GateState.Empty, DateTimeOffset.UtcNow.AddMinutes(-1), "dead-holder", "crashed", GatePriority.Background).State;
        await store.UpdateAsync(key, _ => new EntityChange<int>(0, GateStateJson.Serialize(dead)), CancellationToken.None);

        GateState state;
        var waited = 0;
        do
        {
            await Task.Delay(250);
            state = GateStateJson.Deserialize(await store.ReadAsync(key, CancellationToken.None), "macmini");
        }
        while (state.Holders.Length > 0 && ++waited < 40);

        Assert.Empty(state.Holders);
        Assert.Equal(1, state.Counters.Expiries);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

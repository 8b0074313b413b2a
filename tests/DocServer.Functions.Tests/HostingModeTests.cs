using System.Net;
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
        var port = LoopbackPorts.Free();
        using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = (await AzuriteServer.GetAsync()).ConnectionString,
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DocServer__StoragePrefix"] = "h" + Guid.NewGuid().ToString("N")[..12],
        });

        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(30), $"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        var sweep = await http.PostAsync($"http://127.0.0.1:{port}/GateSweep", new StringContent("{\"Data\":{},\"Metadata\":{}}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
        Assert.DoesNotContain("standalone mode", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_GateSweepTimerFiresOnItsCronScheduleAndExpiresADeadLease()
    {
        await using var app = await AppFactory.StartAsync(new() { ["DocServer:Standalone"] = "true", ["DocServerGateSweepSchedule"] = "* * * * * *" });
        var store = new EntityStore(app.Services.GetRequiredService<StorageResources>().Gates, TimeProvider.System);
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
}

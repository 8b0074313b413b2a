using DocServer.Functions.Configuration;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The app's functions as the Functions host must know them: one entry per function.json. HTTP
/// functions are proxied to the app's own routes (host.json: enableProxyingHttpRequest, which streams the
/// response, and an empty routePrefix, so the page is at /); timer and queue functions are invoked on
/// POST /{Name}. The publish step writes function.json files from this list.
/// </summary>
internal static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> All { get; } =
    [
        FunctionDefinition.Http("Ask", "api/ask/{*rest}", "get", "post"),
        FunctionDefinition.Http("Evidence", "api/evidence", "post"),
        FunctionDefinition.Http("GateStatus", "api/gate/status", "get"),
        FunctionDefinition.Http("Documents", "api/documents/{*rest}", "get", "post", "delete"),
        FunctionDefinition.Http("Digests", "api/digests/{*rest}", "get"),
        FunctionDefinition.Http("OpenApi", "api/openapi.json", "get"),
        FunctionDefinition.Http("Health", "api/health", "get"),

        // The page and its files: anonymous (they hold no data), the API calls they make carry the key.
        FunctionDefinition.Http("Page", "{*asset}", "get") with { AuthLevel = "anonymous" },
        FunctionDefinition.Timer("Digest", FlatSettings.Expression(FlatSettings.DigestSchedule)),
        FunctionDefinition.Timer("GateSweep", FlatSettings.Expression(FlatSettings.GateSweepSchedule)),
        FunctionDefinition.Queue("Extract", FlatSettings.Expression(FlatSettings.ExtractQueue)),
        FunctionDefinition.Queue("AskJob", FlatSettings.Expression(FlatSettings.AskQueue)),
    ];

    /// <summary>Writes &lt;directory&gt;/&lt;Name&gt;/function.json for every function, as the Functions host expects beside host.json.</summary>
    public static void WriteFunctionJsonFiles(string directory)
    {
        var json = new System.Text.Json.JsonSerializerOptions { WriteIndented = true };
        foreach (var function in All)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, function.Name));
            File.WriteAllText(Path.Combine(folder.FullName, "function.json"), System.Text.Json.JsonSerializer.Serialize(function.FunctionJson(), json) + "\n");
        }
    }
}

/// <summary>One function: its name, trigger type, and the trigger's route/methods, schedule or queue.</summary>
internal sealed record FunctionDefinition(string Name, string Trigger, string? Route, IReadOnlyList<string> Methods, string? Schedule, string? QueueName)
{
    /// <summary>HTTP functions need a function key (x-functions-key or ?code=) unless anonymous.</summary>
    public string AuthLevel { get; init; } = "function";

    public static FunctionDefinition Http(string name, string route, params string[] methods) => new(name, "httpTrigger", route, methods, null, null);

    public static FunctionDefinition Timer(string name, string schedule) => new(name, "timerTrigger", null, [], schedule, null);

    public static FunctionDefinition Queue(string name, string queue) => new(name, "queueTrigger", null, [], null, queue);

    /// <summary>The function.json the Functions host reads for this function.</summary>
    public object FunctionJson() => Trigger switch
    {
        "httpTrigger" => new
        {
            bindings = new object[]
            {
                new { type = "httpTrigger", direction = "in", name = "req", authLevel = AuthLevel, route = Route, methods = Methods },
                new { type = "http", direction = "out", name = "res" },
            },
        },
        "timerTrigger" => new { bindings = new object[] { new { type = "timerTrigger", direction = "in", name = "timer", schedule = Schedule } } },
        _ => new { bindings = new object[] { new { type = "queueTrigger", direction = "in", name = "message", queueName = QueueName, connection = "AzureWebJobsStorage" } } },
    };
}

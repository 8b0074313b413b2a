using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The app's functions as their [Function] methods declare them, read back by reflection: what the Worker SDK
/// writes into functions.metadata, and what the standalone app runs itself (its timers and queue listeners) and
/// serves (a test holds its endpoints to the HTTP triggers here).
/// </summary>
internal static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> All { get; } = Read(typeof(FunctionCatalog).Assembly);

    public static IEnumerable<FunctionDefinition> Timers => All.Where(f => f.Trigger == FunctionDefinition.TimerTrigger);

    public static IEnumerable<FunctionDefinition> Queues => All.Where(f => f.Trigger == FunctionDefinition.QueueTrigger);

    /// <summary>True for a function a queue message triggers (its input is the message, maybe in a trace envelope).</summary>
    public static bool IsQueueTriggered(string function) => QueueTriggered.Contains(function);

    private static readonly HashSet<string> QueueTriggered = [.. Queues.Select(q => q.Name)];

    private static List<FunctionDefinition> Read(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           where function is not null
           select Define(function.Name, method),
    ];

    private static FunctionDefinition Define(string name, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            switch (parameter.GetCustomAttributes().FirstOrDefault(a => a is HttpTriggerAttribute or TimerTriggerAttribute or QueueTriggerAttribute))
            {
                case HttpTriggerAttribute http:
                    return new(name, FunctionDefinition.HttpTrigger, http.Route, http.Methods ?? [], http.AuthLevel.ToString().ToLowerInvariant(), null, null, null);
                case TimerTriggerAttribute timer:
                    return new(name, FunctionDefinition.TimerTrigger, null, [], null, timer.Schedule, null, null);
                case QueueTriggerAttribute queue:
                    return new(name, FunctionDefinition.QueueTrigger, null, [], null, null, queue.QueueName, queue.Connection);
            }
        }

        throw new InvalidOperationException($"Function {name} ({method.DeclaringType?.Name}.{method.Name}) has no trigger the app knows.");
    }
}

/// <summary>One function: its name, trigger type, and the trigger's route, methods and auth level, schedule, or queue.</summary>
internal sealed record FunctionDefinition(
    string Name, string Trigger, string? Route, IReadOnlyList<string> Methods, string? AuthLevel, string? Schedule, string? QueueName, string? Connection)
{
    public const string HttpTrigger = "httpTrigger";
    public const string TimerTrigger = "timerTrigger";
    public const string QueueTrigger = "queueTrigger";
}

using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Hosting;

/// <summary>
/// The app's functions as their [Function] methods declare them, read back by reflection: what the Worker SDK
/// writes into functions.metadata, and what the standalone app runs itself (its timers) and
/// serves (a test holds its endpoints to the HTTP triggers here, and its task hub worker to the Durable triggers).
/// </summary>
internal static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> All { get; } = Read(typeof(FunctionCatalog).Assembly);

    public static IEnumerable<FunctionDefinition> Timers => All.Where(f => f.Trigger == FunctionDefinition.TimerTrigger);

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
            switch (parameter.GetCustomAttributes().FirstOrDefault(a => a is HttpTriggerAttribute or TimerTriggerAttribute or EntityTriggerAttribute or OrchestrationTriggerAttribute or ActivityTriggerAttribute))
            {
                case EntityTriggerAttribute:
                    return new(name, FunctionDefinition.EntityTrigger, null, [], null, null);
                case OrchestrationTriggerAttribute:
                    return new(name, FunctionDefinition.OrchestrationTrigger, null, [], null, null);
                case ActivityTriggerAttribute:
                    return new(name, FunctionDefinition.ActivityTrigger, null, [], null, null);
                case HttpTriggerAttribute http:
                    return new(name, FunctionDefinition.HttpTrigger, http.Route, http.Methods ?? [], http.AuthLevel.ToString().ToLowerInvariant(), null);
                case TimerTriggerAttribute timer:
                    return new(name, FunctionDefinition.TimerTrigger, null, [], null, timer.Schedule);
            }
        }

        throw new InvalidOperationException($"Function {name} ({method.DeclaringType?.Name}.{method.Name}) has no trigger the app knows.");
    }
}

/// <summary>One function: its name, trigger type, and the trigger's route, methods and auth level, or schedule.</summary>
internal sealed record FunctionDefinition(string Name, string Trigger, string? Route, IReadOnlyList<string> Methods, string? AuthLevel, string? Schedule)
{
    public const string HttpTrigger = "httpTrigger";
    public const string TimerTrigger = "timerTrigger";

    /// <summary>Durable triggers: standalone, the task hub worker runs these classes (DurableRegistration).</summary>
    public const string EntityTrigger = "entityTrigger";
    public const string OrchestrationTrigger = "orchestrationTrigger";
    public const string ActivityTrigger = "activityTrigger";
}

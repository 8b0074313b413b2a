using DocServer.Core.Gates;
using Microsoft.DurableTask;

namespace DocServer.Durable.Gates;

/// <summary>
/// Carries a grant from the gate entity to the orchestration that queued for it. An entity can signal entities and
/// start orchestrations but not raise an event on one, so a grant starts this one-step orchestration, which raises
/// the event (<see cref="EventName"/>) and ends. Its instance id is the lease's, so one grant is told once.
/// </summary>
public sealed class GateGrantNotifier : TaskOrchestrator<GateGrantNotice, string>
{
    public const string Name = "GateGrantNotifier";

    /// <summary>The event a waiting orchestration listens for: one per ticket (a pool's gates share the ticket id).</summary>
    public static string EventName(string ticketId) => $"gate-granted-{ticketId}";

    public static string InstanceId(GateGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return $"gate-grant-{grant.LeaseId}-{grant.FencingToken}";
    }

    public override Task<string> RunAsync(TaskOrchestrationContext context, GateGrantNotice input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SendEvent(input.Instance, EventName(input.Grant.LeaseId), input.Grant);
        return Task.FromResult(input.Instance);
    }
}

namespace DocServer.Core.Llm;

/// <summary>
/// G13: what this instance knows of each endpoint's host. An endpoint that is down (its circuit is open)
/// is not queued for: asks answer from the documents at once, background work is deferred.
/// </summary>
public interface IEndpointHealth
{
    bool IsDown(string endpoint);

    /// <summary>True when this failure of a call says the host is unhealthy (unreachable, 5xx, stuck), not that the request was bad.</summary>
    bool IsHostFailure(Exception exception);
}

namespace DocServer.Core.Llm;

/// <summary>
/// The deadlines of one kind of model call, all counted from the gate's grant (G2): the reply's first token within
/// <see cref="FirstToken"/>, never a pause longer than <see cref="Idle"/> (null: no such deadline), and the whole call
/// within <see cref="Total"/>. A slow reply that keeps coming is cut only by the total.
/// </summary>
public sealed record CallDeadlines(TimeSpan Total, TimeSpan? FirstToken, TimeSpan? Idle)
{
    /// <summary>The stream's own deadlines on a request (the total is the caller's, kept by the gate's call).</summary>
    public LanguageModelRequest On(LanguageModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with { FirstTokenTimeout = FirstToken, IdleTimeout = Idle };
    }
}

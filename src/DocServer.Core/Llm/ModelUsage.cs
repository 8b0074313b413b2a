namespace DocServer.Core.Llm;

/// <summary>The tokens a model call used, as the host reported them (prompt in, reply out).</summary>
public sealed record ModelUsage(int InputTokens, int OutputTokens);

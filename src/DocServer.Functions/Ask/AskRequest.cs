namespace DocServer.Functions.Ask;

/// <summary>POST /api/ask. <see cref="Async"/>: answer 202 with a status URL instead of waiting.</summary>
internal sealed record AskRequest(string? Question, bool? Async);

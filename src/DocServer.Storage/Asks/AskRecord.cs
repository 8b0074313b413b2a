namespace DocServer.Storage.Asks;

/// <summary>An asynchronous ask as stored: running, done (with its result as JSON) or failed (with a message for the caller).</summary>
public sealed record AskRecord(AskStatus Status, DateTimeOffset ExpiresAt, string? ResultJson, string? Error);

namespace DocServer.Functions.Digests;

/// <summary>
/// What a run wrote: the digest's id (null when nothing was ingested in its window), how many documents it lists,
/// and how many of those it lists without a summary (their summary could not be made on a healthy host).
/// </summary>
internal sealed record DigestResult(string? DigestId, int Documents, int WithoutSummary);

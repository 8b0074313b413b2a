namespace DocServer.Core.Entities;

/// <summary>
/// What one application of an operation produced: the caller's answer, and the new stored text,
/// or null when the operation changed nothing (then nothing is written).
/// </summary>
public readonly record struct EntityChange<TResult>(TResult Result, string? NewData);

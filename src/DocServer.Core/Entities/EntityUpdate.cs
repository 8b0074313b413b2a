namespace DocServer.Core.Entities;

/// <summary>
/// The answer of the committed application, with what it cost: storage round trips and the
/// If-Match conflicts it lost before it won (reported by the benchmark).
/// </summary>
public sealed record EntityUpdate<TResult>(TResult Result, bool Written, int RoundTrips, int Conflicts);

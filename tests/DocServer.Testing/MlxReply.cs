namespace DocServer.Testing;

/// <summary>What the scripted MLX server does with one request.</summary>
public abstract record MlxReply
{
    /// <summary>Answers 200 with this assistant message after <paramref name="Latency"/>.</summary>
    public static MlxReply Text(string content, TimeSpan? latency = null) => new TextReply(content, latency ?? TimeSpan.Zero);

    /// <summary>Answers with an HTTP error status, like a crashed or overloaded server.</summary>
    public static MlxReply Status(int status, string body = "{\"error\":\"scripted failure\"}") => new StatusReply(status, body);

    /// <summary>Never answers; holds the request until the client gives up.</summary>
    public static MlxReply Hang() => new HangReply();

    /// <summary>A streamed reply written piece by piece, each piece after its own delay (a slow host, or one that stalls).</summary>
    public static MlxReply Timed(params (TimeSpan Delay, string Piece)[] pieces) => new TimedReply(pieces);

    /// <summary>
    /// <paramref name="text"/> streamed a word at a time, as a model writes an answer: the first word after
    /// <paramref name="first"/> (default: <paramref name="interval"/>), each next one <paramref name="interval"/> later.
    /// </summary>
    public static MlxReply Words(string text, TimeSpan interval, TimeSpan? first = null) =>
        new TimedReply([.. (text ?? string.Empty).Split(' ').Select((word, i) => (i == 0 ? first ?? interval : interval, (i == 0 ? "" : " ") + word))]);

    /// <summary><paramref name="count"/> pieces of <paramref name="piece"/>, one every <paramref name="interval"/>: slow but producing.</summary>
    public static MlxReply Trickle(string piece, int count, TimeSpan interval) => new TimedReply([.. Enumerable.Repeat((interval, piece), count)]);

    public sealed record TimedReply(IReadOnlyList<(TimeSpan Delay, string Piece)> Pieces) : MlxReply;

    public sealed record TextReply(string Content, TimeSpan Latency) : MlxReply;

    public sealed record StatusReply(int Code, string Body) : MlxReply;

    public sealed record HangReply : MlxReply;
}

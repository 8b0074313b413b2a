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

    public sealed record TextReply(string Content, TimeSpan Latency) : MlxReply;

    public sealed record StatusReply(int Code, string Body) : MlxReply;

    public sealed record HangReply : MlxReply;
}

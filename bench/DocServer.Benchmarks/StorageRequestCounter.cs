using Azure.Core;
using Azure.Core.Pipeline;

namespace DocServer.Benchmarks;

/// <summary>Counts every storage request (each try) the task hub's clients send: the storage transactions Azure bills.</summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _requests;

    public long Requests => Interlocked.Read(ref _requests);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _requests);
}

using DocServer.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace DocServer.Functions.Digests;

/// <summary>The digest timer (it starts a <see cref="DigestOrchestrator"/> run) and the digest reads under the Functions host (the reads run <see cref="DigestsApi"/>).</summary>
internal sealed class DigestsFunctions(HttpFunctionAdapter http, FunctionInvoker invoker)
{
    [Function(FunctionNames.DigestTimer)]
    public Task DigestTimer([TimerTrigger($"%{Configuration.FlatSettings.DigestSchedule}%")] TimerInfo timer, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(FunctionNames.DigestTimer, cancellationToken);

    [Function(FunctionNames.ListDigests)]
    public Task List([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Digests)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.ListDigests, ApiRoutes.Digests, DigestsApi.ListAsync);

    [Function(FunctionNames.LatestDigest)]
    public Task Latest([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.LatestDigest)] HttpRequest request) =>
        http.RunAsync(request, FunctionNames.LatestDigest, ApiRoutes.LatestDigest, DigestsApi.LatestAsync);

    [Function(FunctionNames.GetDigest)]
    public Task Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Digest)] HttpRequest request, string id) =>
        http.RunAsync(request, FunctionNames.GetDigest, ApiRoutes.Digest, DigestsApi.GetAsync, ("id", id));
}

using System.Text.Json.Nodes;
using DocServer.Functions.Hosting;
using DocServer.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DocServer.Functions.Tests;

/// <summary>
/// The HTTP contract, declared once: the functions' HTTP triggers are exactly the standalone endpoints, and the
/// OpenAPI document the app generates is the reviewed copy in the repository (which the Functions host serves).
/// </summary>
public sealed class ApiContractTests
{
    [Fact]
    public async Task HttpTriggers_AreExactlyTheStandaloneEndpoints_ByNameRouteAndMethod()
    {
        await using var app = await AppFactory.StartAsync();
        _ = app.Server;
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m =>
                $"{e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName} {m} {e.RoutePattern.RawText!.TrimStart('/')}"))
            .Where(e => !e.Contains("openapi", StringComparison.OrdinalIgnoreCase))
            .Order();
        var triggers = FunctionCatalog.All
            .Where(f => f.Trigger == FunctionDefinition.HttpTrigger && f.Name is not FunctionNames.Page and not FunctionNames.OpenApi)
            .SelectMany(f => f.Methods.Select(m => $"{f.Name} {m.ToUpperInvariant()} {f.Route}"))
            .Order();

        Assert.Equal(triggers, endpoints);
    }

    [Fact]
    public async Task OpenApiDocument_IsTheCheckedInCopy()
    {
        await using var app = await AppFactory.StartAsync();
        using var client = app.CreateClient();
        var generated = JsonNode.Parse(await client.GetStringAsync("/" + ApiRoutes.OpenApi))!.AsObject();
        generated.Remove("servers");
        var path = Path.Combine(AzuriteServer.RepositoryRoot(), "src", "DocServer.Functions", "openapi.json");
        var reviewed = JsonNode.Parse(await File.ReadAllTextAsync(path));

        var equal = JsonNode.DeepEquals(generated, reviewed);
        if (!equal)
        {
            // The new document, for review: copy it over the checked-in one when the change is meant.
            var proposed = Path.Combine(Path.GetTempPath(), "openapi.generated.json");
            await File.WriteAllTextAsync(proposed, generated.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            Assert.Fail($"The HTTP contract changed: {path} differs from what the app generates (written to {proposed}, without 'servers'). Review the change and copy it over.");
        }
    }
}

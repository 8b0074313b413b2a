using DocServer.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace DocServer.Functions.Hosting;

/// <summary>The app's settings and host.json, bound and validated at start-up (a value that cannot work stops it).</summary>
internal static class OptionsRegistration
{
    public static IHostApplicationBuilder AddDocServerOptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        HostJson.AddTo(builder.Configuration, AppContext.BaseDirectory);
        services.AddOptions<Configuration.DocServerOptions>()
            .Bind(builder.Configuration.GetSection(Configuration.DocServerOptions.Section))
            .PostConfigure(o => FlatSettings.Apply(o, builder.Configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Configuration.DocServerOptions>, DocServerOptionsValidator>();
        services.AddOptions<FunctionsHostOptions>().Bind(builder.Configuration.GetSection(HostJson.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FunctionsHostOptions>, FunctionsHostOptionsValidator>();
        return builder;
    }

    /// <summary>The bound app settings, for registrations that build a service from them.</summary>
    public static Configuration.DocServerOptions DocServerOptions(this IServiceProvider services) => services.GetRequiredService<IOptions<Configuration.DocServerOptions>>().Value;
}

using System.Net.Http.Json;
using DocServer.Testing;
using Microsoft.Playwright;

namespace DocServer.Page.Tests;

/// <summary>
/// The app as a real process on Azurite with the scripted host, and Debian's chromium driven by Playwright
/// (headless, its background networking off: this machine's network is closed). Screenshots go to
/// artifacts/screenshots for a person to look at.
/// </summary>
internal sealed class PageBed : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly AppProcess _app;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private PageBed(ScriptedMlxServer mlx, AppProcess app, HttpClient http, IPlaywright playwright, IBrowser browser, IPage page)
    {
        Mlx = mlx;
        _app = app;
        Http = http;
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public ScriptedMlxServer Mlx { get; }

    public HttpClient Http { get; }

    public IPage Page { get; }

    public static async Task<PageBed> StartAsync(Dictionary<string, string>? overrides = null)
    {
        var mlx = await ScriptedMlxServer.StartAsync();
        mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt)));
        var azurite = await AzuriteServer.GetAsync();
        var settings = AppSettings.For(azurite.ConnectionString, mlx.BaseUrl, "p" + Guid.NewGuid().ToString("N")[..12]);
        settings["DocServer__IndexRefreshInterval"] = "00:00:00.500";
        foreach (var (name, value) in overrides ?? [])
        {
            settings[name] = value;
        }

        var app = AppProcess.Start(settings, AppProcess.AnyPort);
        await app.WaitUntilUpAsync(TimeSpan.FromSeconds(60));
        var url = app.Url!;
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        return new PageBed(mlx, app, new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) }, playwright, browser, page);
    }

    public async Task IngestAsync(string id, string title, string content)
    {
        using var response = await Http.PostAsJsonAsync("/api/documents", new { id, title, content, contentType = "text" });
        response.EnsureSuccessStatusCode();
    }

    public async Task ScreenshotAsync(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AzuriteServer.RepositoryRoot(), "artifacts", "screenshots")).FullName;
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        Http.Dispose();
        _app.Dispose();
        await Mlx.DisposeAsync();
    }
}

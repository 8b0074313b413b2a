using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DocServer.Testing;
using Microsoft.Playwright;

namespace DocServer.Page.Tests;

/// <summary>The page at / in chromium: asking in both languages, documents, the gate panel, the keyboard, the function key.</summary>
public sealed partial class PageTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task Ask_InEnglishThenKorean_StreamsTheAnswerWithCitationsAndHighlightsTheSpansInTheirWindows()
    {
        await using var bed = await PageBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => SensibleModel.IsSynthesis(prompt)
            ? MlxReply.Words(SensibleModel.Reply(prompt), TimeSpan.FromMilliseconds(30))
            : MlxReply.Text(SensibleModel.Reply(prompt)));
        await bed.IngestAsync("lease", "Tenancy agreement", EvidenceFixtures.EnglishTenancy);
        await bed.IngestAsync("rules", "취업규칙", EvidenceFixtures.KoreanLeaveRule);
        var page = bed.Page;
        await page.GotoAsync("/");

        await page.GetByLabel("Question (Korean or English)").FillAsync(EvidenceFixtures.EnglishQuestion);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(AnsweredIn(), new() { Timeout = 30_000 });

        await Assertions.Expect(page.Locator("#answer-text a").First).ToBeVisibleAsync(Soon);
        await Assertions.Expect(page.Locator("#evidence-list li mark").First).ToBeVisibleAsync(Soon);
        var cited = await page.Locator("#answer-text a").First.GetAttributeAsync("href");
        Assert.Matches("^#ev-[0-9]+$", cited);
        await Assertions.Expect(page.Locator(cited!)).ToContainTextAsync("Tenancy agreement");
        await bed.ScreenshotAsync("ask-english");

        await page.GetByRole(AriaRole.Button, new() { Name = "한국어로 보기" }).ClickAsync();
        await page.GetByLabel("질문 (한국어 또는 영어)").FillAsync(EvidenceFixtures.KoreanQuestion);
        await page.GetByRole(AriaRole.Button, new() { Name = "질문", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("초 만에 답했습니다", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#evidence-list li").First).ToContainTextAsync("취업규칙");
        await Assertions.Expect(page.Locator("#evidence-list li mark").First).ToBeVisibleAsync(Soon);
        Assert.Equal("ko", await page.Locator("html").GetAttributeAsync("lang"));
        await bed.ScreenshotAsync("ask-korean");
    }

    [Fact]
    public async Task Documents_UploadByPastingThenDelete_TheListFollows()
    {
        await using var bed = await PageBed.StartAsync();
        var page = bed.Page;
        await page.GotoAsync("/");

        await page.GetByLabel("Id", new() { Exact = true }).FillAsync("boiler-notes");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Boiler notes");
        await page.GetByLabel("or paste text").FillAsync(EvidenceFixtures.EnglishBoiler);
        await page.GetByRole(AriaRole.Button, new() { Name = "Store" }).ClickAsync();
        var item = page.Locator("#document-list li", new() { HasText = "Boiler notes" });
        await Assertions.Expect(item).ToBeVisibleAsync(Soon);
        await bed.ScreenshotAsync("documents");

        await item.GetByRole(AriaRole.Button, new() { Name = "Delete Boiler notes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#documents-status")).ToHaveTextAsync("Deleted boiler-notes.");
        await Assertions.Expect(item).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task GatePanel_WhileASlowCallRuns_ShowsItsHolderAndAWaiter_AndTheStreamSaysWaitingNotBroken()
    {
        await using var bed = await PageBed.StartAsync();
        bed.Mlx.ReplyWith(prompt => MlxReply.Text(SensibleModel.Reply(prompt), TimeSpan.FromSeconds(4)));
        await bed.IngestAsync("lease", "Tenancy agreement", EvidenceFixtures.EnglishTenancy);
        var page = bed.Page;
        await page.GotoAsync("/");
        var holder = bed.Http.PostAsJsonAsync("/api/ask", new { question = EvidenceFixtures.EnglishQuestion });
        await Assertions.Expect(page.Locator(".gate dd", new() { HasTextRegex = HeldFor() })).ToBeVisibleAsync(Soon);

        await page.GetByLabel("Question (Korean or English)").FillAsync(EvidenceFixtures.EnglishQuestion);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Waiting, not broken", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".gate dd", new() { HasTextRegex = OneQuestionWaiting() })).ToBeVisibleAsync(Soon);
        await bed.ScreenshotAsync("gate-panel");
        (await holder).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(AnsweredIn(), new() { Timeout = 60_000 });
        Assert.Equal(0, bed.Mlx.Violations);
    }

    [Fact]
    public async Task Digests_TheLatestIsShownAsMarkdown_AndAnOlderOneIsListedWithALink()
    {
        // The Digest timer every second, run by the app itself (standalone): a run writes a digest only when documents came.
        await using var bed = await PageBed.StartAsync(new()
        {
            ["DocServer__DigestCutoffLag"] = "00:00:00",
            ["DocServer__Standalone"] = "true",
            ["DocServerDigestSchedule"] = "* * * * * *",
        });
        await bed.IngestAsync("lease", "Tenancy agreement", EvidenceFixtures.EnglishTenancy);
        await DigestsAsync(bed, 1);
        await bed.IngestAsync("boiler", "Boiler manual", EvidenceFixtures.EnglishBoiler);
        await DigestsAsync(bed, 2);
        var page = bed.Page;

        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator("#digest-latest h4", new() { HasText = "Boiler manual" })).ToBeVisibleAsync(Soon);
        var older = page.Locator("#digest-list li a");
        await Assertions.Expect(older).ToHaveCountAsync(1);
        Assert.Matches("^/api/digests/[0-9]{8}T[0-9]{6}Z\\?format=md$", await older.GetAttributeAsync("href"));
        await bed.ScreenshotAsync("digests");
    }

    [Fact]
    public async Task KeyboardOnly_TabToTheQuestionTypeAndEnter_Answers()
    {
        await using var bed = await PageBed.StartAsync();
        await bed.IngestAsync("lease", "Tenancy agreement", EvidenceFixtures.EnglishTenancy);
        var page = bed.Page;
        await page.GotoAsync("/");

        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("document.activeElement.id") != "question"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("question", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync(EvidenceFixtures.EnglishQuestion);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(AnsweredIn(), new() { Timeout = 30_000 });
        await bed.ScreenshotAsync("keyboard");
    }

    [Fact]
    public async Task FunctionKey_SetOnce_GoesWithEveryApiCallAndStaysInTheBrowser()
    {
        await using var bed = await PageBed.StartAsync();
        var page = bed.Page;
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Function key" }).ClickAsync();
        await page.GetByLabel("Key", new() { Exact = true }).FillAsync("secret-key-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var request = await page.RunAndWaitForRequestAsync(() => page.ReloadAsync(), r => r.Url.Contains("/api/documents", StringComparison.Ordinal));

        Assert.Equal("secret-key-1", (await request.AllHeadersAsync())["x-functions-key"]);
        Assert.Equal("secret-key-1", await page.EvaluateAsync<string>("localStorage.getItem('docserver.key')"));
    }

    [GeneratedRegex(@"Answered in [0-9.]+ s\.")]
    private static partial Regex AnsweredIn();

    [GeneratedRegex(@"\(questions, [0-9]+ s\)")]
    private static partial Regex HeldFor();

    [GeneratedRegex(@"questions 1 ·")]
    private static partial Regex OneQuestionWaiting();

    /// <summary>Waits until the digest timer has written <paramref name="count"/> digests.</summary>
    private static async Task DigestsAsync(PageBed bed, int count)
    {
        for (var i = 0; i < 150; i++)
        {
            if ((await bed.Http.GetFromJsonAsync<List<string>>("/api/digests"))!.Count >= count)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the Digest timer wrote fewer than {count} digests in 30 s");
    }
}

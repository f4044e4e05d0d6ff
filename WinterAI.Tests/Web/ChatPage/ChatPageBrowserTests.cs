using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;
using static Microsoft.Playwright.Assertions;

namespace WinterAI.Tests.Web.ChatPage;

/// <summary>
/// The H5 page in a real browser on a phone-sized screen, against WinterAI running as a real process (its own Kestrel
/// on a free port) and the fake Dify. Every state a follower can see is saved as a screenshot under
/// <c>artifacts/chat/</c> in the test's work directory and attached to the test.
/// </summary>
[NonParallelizable]
public sealed class ChatPageBrowserTests
{
    private const string SigningKey = "browser-test-signing-key-0123456789abcdef";
    private static readonly WeChatAccount Account = WeChatAccount.Default;

    private const string RichAnswer =
        "## 冬天怎样穿才暖和\n\n" +
        "**核心原则**：分层穿衣，保持干燥。\n\n" +
        "1. 贴身层：选排汗的羊毛或化纤内衣\n" +
        "2. 中间层：抓绒衣或羽绒马甲锁住热量\n" +
        "3. 外层：防风防水的外套挡住寒风\n\n" +
        "> 小贴士：头、手和脚最容易散热，记得戴帽子和手套。\n\n" +
        "最后，出门前喝一杯热水，`适当活动` 比一味加衣服更有效。";

    private FakeDifyServer dify = null!;
    private WinterAIProcess winterAI = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;
    private string artifacts = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (playwright, browser) = await Chromium.LaunchAsync();
        SetDefaultExpectTimeout(15_000);
        dify = await FakeDifyServer.StartAsync();
        // On for the whole run (the app's parameters are cached): tests that want no suggestions get none from the fake.
        dify.Parameters = FakeDifyServer.DefaultParameters(imagesEnabled: true);
        dify.SuggestQuestions(true);
        var port = LoopbackPort.Free();
        winterAI = await WinterAIProcess.StartAsync(new Dictionary<string, string?>(Account.Configuration())
        {
            ["Dify:BaseUrl"] = dify.BaseUrl,
            ["Dify:ApiKey"] = "app-browser-key",
            ["Dify:MaxRetries"] = "0",
            ["Chat:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Chat:SigningKey"] = SigningKey,
            ["Dify:Reasoning"] = "fold",
        }, port);
        artifacts = Path.Combine(TestContext.CurrentContext.WorkDirectory, "artifacts", "chat");
        Directory.CreateDirectory(artifacts);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (winterAI is not null)
        {
            await winterAI.DisposeAsync();
        }

        if (dify is not null)
        {
            await dify.DisposeAsync();
        }
    }

    [SetUp]
    public async Task OpenBrowserAsync()
    {
        dify.Answer = null;
        dify.Behaviour = null;
        dify.BeforeChunk = null;
        dify.ChunkCount = 3;
        dify.Suggestions = _ => [];
        context = await browser.NewContextAsync(Chromium.Phone());
        page = await context.NewPageAsync();
    }

    [TearDown]
    public async Task CloseBrowserAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await ScreenshotAsync("failed-" + TestContext.CurrentContext.Test.MethodName);
        }

        await context.DisposeAsync();
    }

    [Test]
    public async Task APageOpenedWhileAWeChatQuestionIsBeingAnsweredShowsTheAnswerGrowing()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.Answer = call => call.Query == "慢慢回答" ? RichAnswer : "ok";
        dify.ChunkCount = 12;
        dify.BeforeChunk = (call, chunk, aborted) => call.Query == "慢慢回答" && chunk == 6 ? held.Task.WaitAsync(aborted) : Task.CompletedTask;
        var weChat = new FakeWeChat(winterAI.Client, Account) { Deliveries = 1, Timeout = TimeSpan.FromSeconds(1) };
        var link = LinkIn(FakeWeChat.Shown(await new FakeWeChat(winterAI.Client, Account).SendTextAsync("o-watcher", "web")));
        await weChat.SendTextAsync("o-watcher", "慢慢回答");

        await page.GotoAsync(link);
        var answer = page.Locator(".turn .md").Last;
        await Expect(answer).ToContainTextAsync("分层穿衣");
        var whileWriting = await answer.InnerTextAsync();
        await ScreenshotAsync("chat-live-from-wechat");
        held.SetResult();
        await Expect(answer).ToContainTextAsync("喝一杯热水");

        whileWriting.ShouldNotContain("喝一杯热水");
    }

    [Test]
    public async Task ASignedLinkStreamsTheAnswerProgressivelyAndKeepsItAfterReload()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.Answer = call => call.Query == "冬天怎么穿才暖和？" ? RichAnswer : $"好的，我记住了：{call.Query}";
        dify.ChunkCount = 12;
        dify.BeforeChunk = (call, chunk, aborted) => call.Query == "冬天怎么穿才暖和？" && chunk == 6 ? held.Task.WaitAsync(aborted) : Task.CompletedTask;
        var firstHalf = string.Concat(FakeDifySse.Chunks(RichAnswer, 12).Take(6));
        firstHalf.ShouldContain("分层穿衣");
        firstHalf.ShouldNotContain("喝一杯热水");
        var weChat = new FakeWeChat(winterAI.Client, Account);
        FakeWeChat.Shown(await weChat.SendTextAsync("o-browser", "我在北京，怕冷")).ShouldBe("好的，我记住了：我在北京，怕冷");
        var link = LinkIn(FakeWeChat.Shown(await weChat.SendTextAsync("o-browser", "web")));

        await page.GotoAsync(link);
        await Expect(page.Locator("#app")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(page.Locator(".turn .tag").First).ToHaveTextAsync("公众号");
        await page.Locator("#question").FillAsync("冬天怎么穿才暖和？");
        await page.Locator("#send").ClickAsync();
        var streaming = page.Locator(".turn[data-state=streaming] .md");
        await Expect(streaming).ToContainTextAsync("分层穿衣");
        await Expect(page.Locator("#stop")).ToBeVisibleAsync();
        var partial = await streaming.InnerTextAsync();
        await ScreenshotAsync("02-streaming");
        held.SetResult();
        var answered = page.Locator(".turn[data-state=done]").Last;
        await Expect(answered.Locator(".md")).ToContainTextAsync("喝一杯热水");
        await ScreenshotAsync("03-streamed-answer");
        await page.ReloadAsync();
        await Expect(page.Locator("#app")).ToHaveAttributeAsync("data-state", "ready");
        await ScreenshotAsync("04-after-reload");

        partial.ShouldNotContain("喝一杯热水");
        await Expect(answered.Locator(".md h2")).ToHaveTextAsync("冬天怎样穿才暖和");
        await Expect(answered.Locator(".md ol li")).ToHaveCountAsync(3);
        await Expect(answered.Locator(".md strong")).ToHaveTextAsync("核心原则");
        await Expect(page.Locator(".turn")).ToHaveCountAsync(2);
        await Expect(page.Locator(".turn[data-state=done]").Last.Locator(".md")).ToContainTextAsync("喝一杯热水");
        await Expect(page.Locator(".turn .question").Last).ToHaveTextAsync("冬天怎么穿才暖和？");
        var user = $"{Account.AppId}:o-browser";
        var calls = dify.Calls.Where(c => c.IsChat && c.User == user).ToList();
        calls.Count.ShouldBe(2);
        calls[1].ConversationId.ShouldBe(dify.Conversations.Single(c => c.Value == user).Key);
    }

    [Test]
    public async Task ReasoningIsFoldedTheAnswerCanBeRatedAndASuggestedQuestionAskedWithATap()
    {
        dify.Answer = call => call.Query == "推荐一本书"
            ? "<think>用户想要书，先想想他的口味。</think>\n\n推荐《三体》。"
            : $"关于「{call.Query}」：好的。";
        dify.Suggestions = _ => ["还有别的推荐吗？", "这本书讲什么？"];
        var link = LinkIn(FakeWeChat.Shown(await new FakeWeChat(winterAI.Client, Account).SendTextAsync("o-follow-ups", "web")));

        await page.GotoAsync(link);
        await Expect(page.Locator("#app")).ToHaveAttributeAsync("data-state", "ready");
        await page.Locator("#question").FillAsync("推荐一本书");
        await page.Locator("#send").ClickAsync();
        var answered = page.Locator(".turn").First;
        await Expect(answered).ToHaveAttributeAsync("data-state", "done");
        await Expect(answered.Locator(".md")).ToContainTextAsync("推荐《三体》");
        var thinking = answered.Locator("details.think");
        await Expect(thinking).ToHaveCountAsync(1);
        await Expect(thinking.Locator(".think-body")).Not.ToBeVisibleAsync();
        await Expect(answered.Locator(".suggestion")).ToHaveCountAsync(2);
        await ScreenshotAsync("05-reasoning-rating-suggestions");
        await answered.Locator(".rate-button[data-rating=like]").ClickAsync();
        await Expect(page.Locator("#toast")).ToHaveTextAsync("感谢你的肯定！");
        await Expect(answered.Locator(".rate-button[data-rating=like]")).ToHaveAttributeAsync("aria-pressed", "true");
        await answered.Locator(".suggestion").Nth(1).ClickAsync();
        await Expect(page.Locator(".turn .question").Last).ToHaveTextAsync("这本书讲什么？");
        await Expect(page.Locator(".turn[data-state=done]").Last.Locator(".md")).ToContainTextAsync("关于「这本书讲什么？」");
        await Expect(answered.Locator(".suggestion")).ToHaveCountAsync(0);
        await thinking.Locator("summary").ClickAsync();
        await Expect(thinking.Locator(".think-body")).ToContainTextAsync("先想想他的口味");

        dify.Feedbacks.ShouldHaveSingleItem().Rating.ShouldBe("like");
    }

    [Test]
    public async Task APictureAddedWithTheButtonGoesWithTheQuestion()
    {
        var link = LinkIn(FakeWeChat.Shown(await new FakeWeChat(winterAI.Client, Account).SendTextAsync("o-picture", "web")));
        var file = Path.Combine(artifacts, "tiny.png");
        await File.WriteAllBytesAsync(file, FakeMediaHost.TinyPng());

        await page.GotoAsync(link);
        await Expect(page.Locator("#app")).ToHaveAttributeAsync("data-state", "ready");
        await page.Locator("#picture").SetInputFilesAsync(file);
        await Expect(page.Locator("#attached .chip")).ToHaveCountAsync(1);
        await page.Locator("#question").FillAsync("这是什么？");
        await ScreenshotAsync("11-picture-attached");
        await page.Locator("#send").ClickAsync();

        await Expect(page.Locator(".turn[data-state=done]").Last.Locator(".md")).ToContainTextAsync("echo: 这是什么？");
        await Expect(page.Locator("#attached .chip")).ToHaveCountAsync(0);
        var chat = dify.Calls.Last(c => c.IsChat && c.User == $"{Account.AppId}:o-picture");
        chat.FileIds.Count.ShouldBe(1);
        dify.Uploads[chat.FileIds[0]].Content.ShouldBe(FakeMediaHost.TinyPng());
    }

    [Test]
    public async Task AnExpiredOrEditedLinkShowsTheExpiryPage()
    {
        var signer = new ChatLinkSigner(new Options(SigningKey, winterAI.Port), TimeProvider.System);
        var follower = new Follower(Account.AppId, "o-expired");
        var expired = signer.Sign(follower, DateTimeOffset.UtcNow.AddMinutes(-5));
        var valid = signer.Sign(follower);
        var edited = valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A');

        foreach (var (name, token) in new[] { ("05-expired-link", expired), ("06-edited-link", edited) })
        {
            await page.GotoAsync($"{Base}/chat?t={token}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("链接已过期");
            await Expect(page.Locator(".expired-how")).ToContainTextAsync("获取新的链接");
            await ScreenshotAsync(name);
        }
    }

    [Test]
    public async Task ScriptsAndHandlersInAnAnswerAreShownAsTextAndNeverRun()
    {
        dify.Answer = _ =>
            "<script>window.__pwned = 1</script>\n\n" +
            "<img src=x onerror=\"window.__pwned = 2\">\n\n" +
            "[点我](javascript:window.__pwned=3) 和 [安全链接](https://example.com/?a=1&b=2)\n\n" +
            "**粗体照常显示**";
        await OpenAsync("o-xss");

        await AskAsync("给我一段 HTML");
        var answer = page.Locator(".turn[data-state=done] .md").Last;
        await Expect(answer).ToContainTextAsync("<script>window.__pwned = 1</script>");
        await ScreenshotAsync("07-html-in-answer-shown-as-text");
        await page.ReloadAsync();
        await Expect(page.Locator(".turn[data-state=done] .md").Last).ToContainTextAsync("<img src=x onerror=");

        (await page.EvaluateAsync<bool>("() => window.__pwned === undefined")).ShouldBeTrue();
        await Expect(page.Locator(".md script")).ToHaveCountAsync(0);
        await Expect(page.Locator(".md img")).ToHaveCountAsync(0);
        await Expect(page.Locator(".md a")).ToHaveCountAsync(1);
        await Expect(page.Locator(".md a")).ToHaveAttributeAsync("href", "https://example.com/?a=1&b=2");
        await Expect(page.Locator(".md a")).ToHaveAttributeAsync("rel", new Regex("noreferrer"));
        await Expect(page.Locator(".md strong")).ToHaveTextAsync("粗体照常显示");
    }

    [Test]
    public async Task TheStopButtonStopsTheAnswerAndKeepsWhatHadArrived()
    {
        dify.Answer = _ => "第一部分已经写好了。第二部分永远不会到来。";
        dify.ChunkCount = 2;
        dify.BeforeChunk = (_, chunk, aborted) => chunk == 1 ? Task.Delay(Timeout.Infinite, aborted) : Task.CompletedTask;
        await OpenAsync("o-stop");

        await page.Locator("#question").FillAsync("写两部分");
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator(".turn[data-state=streaming] .md")).ToContainTextAsync("第一部分");
        await page.Locator("#stop").ClickAsync();
        await Expect(page.Locator(".turn[data-state=stopped] .tag-stopped")).ToHaveTextAsync("已停止");
        await ScreenshotAsync("08-stopped");
        await Poll.UntilAsync(() => Task.FromResult(dify.Calls.Any(c => c.IsStop)), "WinterAI asks Dify to stop");
        await page.ReloadAsync();

        await Expect(page.Locator(".turn[data-state=stopped] .md")).ToContainTextAsync("第一部分");
        await Expect(page.Locator(".turn .md").Last).Not.ToContainTextAsync("第二部分");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
    }

    [Test]
    public async Task AFailedAnswerAndAFailedLoadEachShowAnErrorState()
    {
        dify.Behaviour = (_, http) => FakeDifySse.ErrorAsync(http, 503, "unavailable", "down for maintenance");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fail = true;
        await page.RouteAsync("**/chat/history", async route =>
        {
            await release.Task;
            if (fail)
            {
                await route.AbortAsync("connectionfailed");
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await page.GotoAsync(await LinkForAsync("o-errors"));
        await Expect(page.Locator("#loading")).ToBeVisibleAsync();
        await ScreenshotAsync("01-loading");
        release.SetResult();
        await Expect(page.Locator("#load-error")).ToBeVisibleAsync();
        await ScreenshotAsync("09-load-error");
        fail = false;
        await page.Locator("#retry").ClickAsync();
        await Expect(page.Locator("#empty")).ToBeVisibleAsync();
        await ScreenshotAsync("10-empty");
        await AskAsync("这次会失败", "failed");

        await Expect(page.Locator(".turn[data-state=failed] .md")).ToHaveTextAsync(new MessagesOptions().DifyUnavailable);
        await ScreenshotAsync("11-answer-failed");
    }

    [Test]
    public async Task NewConversationStartsAFreshDifyConversationAndMarksItInTheThread()
    {
        await OpenAsync("o-new-chat");
        await AskAsync("第一段对话");

        await page.Locator("#new-chat").ClickAsync();
        await Expect(page.Locator(".toast")).ToHaveTextAsync(new MessagesOptions().Cleared);
        await Expect(page.Locator(".divider")).ToHaveCountAsync(1);
        await AskAsync("第二段对话");
        await ScreenshotAsync("12-new-conversation");
        await page.ReloadAsync();

        await Expect(page.Locator(".divider")).ToHaveCountAsync(1);
        var chats = dify.Calls.Where(c => c.IsChat && c.User == $"{Account.AppId}:o-new-chat").ToList();
        chats.Count.ShouldBe(2);
        chats[1].ConversationId.ShouldBeNull();
    }

    private string Base => $"http://127.0.0.1:{winterAI.Port}";

    private async Task<string> LinkForAsync(string openId) =>
        LinkIn(FakeWeChat.Shown(await new FakeWeChat(winterAI.Client, Account).SendTextAsync(openId, "web")));

    private static string LinkIn(string? reply)
    {
        reply.ShouldNotBeNull();
        var link = Regex.Match(reply, @"http://\S+/chat\?t=[A-Za-z0-9_\-\.]+").Value;
        link.ShouldNotBeNullOrEmpty(reply);
        return link;
    }

    private async Task OpenAsync(string openId)
    {
        await page.GotoAsync(await LinkForAsync(openId));
        await Expect(page.Locator("#app")).ToHaveAttributeAsync("data-state", "ready");
    }

    private async Task AskAsync(string question, string until = "done")
    {
        var before = await page.Locator($".turn[data-state={until}]").CountAsync();
        await page.Locator("#question").FillAsync(question);
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator($".turn[data-state={until}]")).ToHaveCountAsync(before + 1);
    }

    private async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(artifacts, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        TestContext.AddTestAttachment(path, name);
    }

    private sealed class Options(string key, int port) : IOptionsMonitor<ChatOptions>
    {
        public ChatOptions CurrentValue { get; } = new() { SigningKey = key, PublicBaseUrl = $"http://127.0.0.1:{port}" };

        public ChatOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ChatOptions, string?> listener) => null;
    }
}

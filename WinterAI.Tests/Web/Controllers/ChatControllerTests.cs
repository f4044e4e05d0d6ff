using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>
/// The H5 page's server side end to end: WinterAI booted in-process against the fake Dify, with the in-memory store
/// and with a real Redis. Dify streams are held part-way by gates, so nothing depends on timing luck.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class ChatControllerTests(bool useRedis)
{
    public const string SigningKey = "chat-signing-key-for-tests-0123456789abcdef";
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private RedisServer? redis;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        redis = useRedis ? await TestRedis.StartAsync() : null;
        await BootAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    private async Task BootAsync(Action<Dictionary<string, string?>>? change = null)
    {
        if (host is not null)
        {
            client.Dispose();
            await host.DisposeAsync();
        }

        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        configuration["Chat:PublicBaseUrl"] = "https://bot.example.com";
        configuration["Chat:SigningKey"] = SigningKey;
        if (redis is not null)
        {
            configuration["Redis:Configuration"] = redis.ConnectionString;
        }

        change?.Invoke(configuration);
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
    }

    private ChatPageClient Page(string openId) =>
        new(client, host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, openId)));

    private FakeWeChat WeChat() => new(client, Account) { Timeout = TimeSpan.FromSeconds(5) };

    private async Task<string?> AskInWeChatAsync(string openId, string text) => FakeWeChat.Shown(await WeChat().SendTextAsync(openId, text));

    private TaskCompletionSource HoldChunk(int index)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.BeforeChunk = (_, chunk, aborted) => chunk == index ? held.Task.WaitAsync(aborted) : Task.CompletedTask;
        return held;
    }

    [Test]
    public async Task AValidLinkServesThePageWithHeadersThatKeepScriptsAndTheTokenIn()
    {
        using var response = await Page("o-page-open").OpenAsync();
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        html.ShouldContain("chat/assets/chat.js?v=");
        html.ShouldNotContain("o-page-open");
        using var script = await client.GetAsync("/chat/assets/chat.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        (await client.GetAsync("/chat/assets/nope.js")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task ForgedAlteredAndExpiredLinksGetTheExpiryPageAndNoneOfTheFollowersData()
    {
        var owner = Page("o-victim");
        await owner.AskToEndAsync("我的秘密问题");
        var follower = new Follower(Account.AppId, "o-victim");
        var otherKey = new ChatLinkSigner(new StaticChatOptions("another-signing-key-0123456789-abcdefgh"), TimeProvider.System);
        var token = owner.Token;
        var badTokens = new Dictionary<string, string?>
        {
            ["altered"] = token[..^2] + (token[^2] == 'A' ? "BA" : "AA"),
            ["other key"] = otherKey.Sign(follower),
            ["expired"] = host.Services.GetRequiredService<ChatLinkSigner>().Sign(follower, DateTimeOffset.UtcNow.AddMinutes(-1)),
            ["garbage"] = "o-victim",
            ["missing"] = null,
        };

        foreach (var (what, bad) in badTokens)
        {
            using var page = await client.GetAsync(bad is null ? "/chat" : $"/chat?t={Uri.EscapeDataString(bad)}");
            var html = await page.Content.ReadAsStringAsync();
            page.StatusCode.ShouldBe(HttpStatusCode.Forbidden, what);
            html.ShouldContain("链接已过期", customMessage: what);
            html.ShouldContain("获取新的链接", customMessage: what);
            html.ShouldNotContain("我的秘密问题", customMessage: what);

            foreach (var (method, path) in new[] { (HttpMethod.Get, "/chat/history"), (HttpMethod.Post, "/chat/ask"), (HttpMethod.Post, "/chat/clear"), (HttpMethod.Post, "/chat/stop") })
            {
                using var api = await owner.SendAsync(method, path, bad);
                api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{what} {path}");
                (await api.Content.ReadAsStringAsync()).ShouldNotContain("我的秘密问题");
            }
        }

        dify.ChatCallCount.ShouldBe(1);
        (await owner.HistoryAsync()).Count.ShouldBe(1);
    }

    [Test]
    public async Task TheTokenMustTravelInTheHeaderNotAsAQueryOrOpenIdParameter()
    {
        var page = Page("o-header-only");

        using var byQuery = await client.GetAsync($"/chat/history?t={Uri.EscapeDataString(page.Token)}&openid=o-header-only");

        byQuery.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task AnAnswerStreamsAsDifyProducesItAndIsKeptInTheHistory()
    {
        dify.Answer = _ => "## 标题\n\n第一段回答。\n\n- 要点一\n- 要点二";
        dify.ChunkCount = 4;
        var held = HoldChunk(2);
        var page = Page("o-stream");

        await using var stream = await page.AskAsync("请分点回答");
        stream.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var started = await stream.NextNamedAsync("started");
        var first = await stream.NextNamedAsync("delta");
        var second = await stream.NextNamedAsync("delta");
        held.Task.IsCompleted.ShouldBeFalse();
        held.SetResult();
        var events = await stream.ReadToEndAsync();

        started.Data.GetProperty("question").GetString().ShouldBe("请分点回答");
        started.Answer.ShouldBeNull();
        (first.Text + second.Text).ShouldBe(string.Concat(FakeDifySse.Chunks("## 标题\n\n第一段回答。\n\n- 要点一\n- 要点二", 4).Take(2)));
        var deltas = events.Where(e => e.Name == "delta").Select(e => e.Text);
        string.Concat(deltas).ShouldBe("## 标题\n\n第一段回答。\n\n- 要点一\n- 要点二");
        var finished = events[^1];
        finished.Name.ShouldBe("finished");
        finished.Answer.ShouldBe("## 标题\n\n第一段回答。\n\n- 要点一\n- 要点二");
        finished.Data.GetProperty("isMarkdown").GetBoolean().ShouldBeTrue();
        var history = await page.HistoryAsync();
        history.Count.ShouldBe(1);
        history[0].GetProperty("question").GetString().ShouldBe("请分点回答");
        history[0].GetProperty("answer").GetString().ShouldBe("## 标题\n\n第一段回答。\n\n- 要点一\n- 要点二");
        history[0].GetProperty("fromWeChat").GetBoolean().ShouldBeFalse();
        dify.Calls.Single(c => c.IsChat).User.ShouldBe($"{Account.AppId}:o-stream");
    }

    [Test]
    public async Task APageQuestionAndAWeChatQuestionShareOneDifyConversationBothWays()
    {
        var page = Page("o-shared");

        await page.AskToEndAsync("我叫小冬");
        await AskInWeChatAsync("o-shared", "我叫什么？");
        await page.AskToEndAsync("再说一遍");

        var calls = dify.Calls.Where(c => c.IsChat).ToList();
        calls.Count.ShouldBe(3);
        calls[0].ConversationId.ShouldBeNull();
        calls[1].ConversationId.ShouldNotBeNull();
        calls[2].ConversationId.ShouldBe(calls[1].ConversationId);
        calls.Select(c => c.User).Distinct().ShouldHaveSingleItem();
    }

    [Test]
    public async Task ThePageShowsWeChatTurnsAndOneInWeChatShowsThePagesLatestAnswer()
    {
        dify.Answer = call => $"**回答**：{call.Query}";
        var page = Page("o-both");

        var inWeChat = await AskInWeChatAsync("o-both", "公众号里问的");
        await page.AskToEndAsync("网页里问的");
        var fetched = await AskInWeChatAsync("o-both", "1");
        var history = await page.HistoryAsync();

        inWeChat.ShouldBe("回答：公众号里问的");
        history.Count.ShouldBe(2);
        history[0].GetProperty("fromWeChat").GetBoolean().ShouldBeTrue();
        history[0].GetProperty("answer").GetString().ShouldBe("**回答**：公众号里问的");
        history[0].GetProperty("isMarkdown").GetBoolean().ShouldBeTrue();
        history[1].GetProperty("fromWeChat").GetBoolean().ShouldBeFalse();
        fetched.ShouldBe("网页里问的\n——————\n回答：网页里问的");
    }

    [Test]
    public async Task APageQuestionWaitsForTheFollowersRunningWeChatTurnInsteadOfRacingIt()
    {
        dify.Gate = new TaskCompletionSource();
        var page = Page("o-queue");

        var waitText = await AskInWeChatAsync("o-queue", "先在公众号里问");
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        await using var stream = await page.AskAsync("再在网页里问");
        var first = await stream.NextAsync();
        dify.ChatCallCount.ShouldBe(1);
        dify.Gate.SetResult();
        var events = await stream.ReadToEndAsync();

        waitText.ShouldBe(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagesOptions>>().Value.Wait);
        first!.Name.ShouldBe("waiting");
        events[^1].Name.ShouldBe("finished");
        var calls = dify.Calls.Where(c => c.IsChat).ToList();
        calls.Count.ShouldBe(2);
        calls[1].ConversationId.ShouldNotBeNull();
        calls[1].Query.ShouldBe("再在网页里问");
    }

    [Test]
    public async Task AWeChatQuestionAskedDuringAPageAnswerRunsRightAfterItInTheSameConversation()
    {
        var held = HoldChunk(1);
        var page = Page("o-after");

        await using var stream = await page.AskAsync("网页里的长问题");
        await stream.NextNamedAsync("delta");
        var meanwhile = await AskInWeChatAsync("o-after", "公众号里插一句");
        dify.ChatCallCount.ShouldBe(1);
        held.SetResult();
        await stream.ReadToEndAsync();
        await dify.WaitForCallsAsync(2, TimeSpan.FromSeconds(5));
        string? fetched = null;
        await Poll.UntilAsync(async () => (fetched = await AskInWeChatAsync("o-after", "1")) == "公众号里插一句\n——————\necho: 公众号里插一句", "the queued WeChat question is answered");

        meanwhile.ShouldBe(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagesOptions>>().Value.Wait);
        var calls = dify.Calls.Where(c => c.IsChat).ToList();
        calls[1].Query.ShouldBe("公众号里插一句");
        calls[1].ConversationId.ShouldNotBeNull();
    }

    [Test]
    public async Task StopEndsTheDifyRequestAsksDifyToStopAndKeepsWhatHadArrived()
    {
        dify.Answer = _ => "第一部分。第二部分。第三部分。";
        var difyAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.BeforeChunk = async (_, chunk, aborted) =>
        {
            if (chunk == 1)
            {
                aborted.Register(() => difyAborted.TrySetResult());
                await Task.Delay(Timeout.Infinite, aborted);
            }
        };
        var page = Page("o-stop");

        await using var stream = await page.AskAsync("说三部分");
        var first = await stream.NextNamedAsync("delta");
        await page.StopAsync();
        var finished = await stream.NextNamedAsync("finished");
        await difyAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => Task.FromResult(dify.Calls.Any(c => c.IsStop)), "WinterAI asks Dify to stop the task");

        finished.Data.GetProperty("stopped").GetBoolean().ShouldBeTrue();
        finished.Answer.ShouldBe(first.Text);
        var stop = dify.Calls.Single(c => c.IsStop);
        stop.Path.ShouldEndWith("/chat-messages/task-1/stop");
        stop.User.ShouldBe($"{Account.AppId}:o-stop");
        var history = await page.HistoryAsync();
        history.Single().GetProperty("stopped").GetBoolean().ShouldBeTrue();
        history.Single().GetProperty("answer").GetString().ShouldBe(first.Text);
    }

    [Test]
    public async Task TheStopButtonForgetsEveryFollowerOnceTheirPageTurnIsOver()
    {
        var stops = host.Services.GetRequiredService<ChatStops>();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(n => Page($"o-done-{n}").AskToEndAsync("你好")));

        await Poll.UntilAsync(() => Task.FromResult(stops.FollowersRunning == 0), "no follower is left behind by the stop button");
        dify.ChatCallCount.ShouldBe(5);
    }

    [Test]
    public async Task ClosingThePageMidAnswerStopsTheAnswerAndKeepsWhatHadArrived()
    {
        var difyAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.BeforeChunk = async (_, chunk, aborted) =>
        {
            if (chunk == 1)
            {
                aborted.Register(() => difyAborted.TrySetResult());
                await Task.Delay(Timeout.Infinite, aborted);
            }
        };
        var page = Page("o-close");

        var stream = await page.AskAsync("a question for a page that closes");
        var first = await stream.NextNamedAsync("delta");
        await stream.DisposeAsync();
        await difyAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Poll.UntilAsync(async () => (await page.HistoryAsync()).Single().GetProperty("stopped").GetBoolean(), "the closed page's turn is recorded as stopped");
        (await page.HistoryAsync()).Single().GetProperty("answer").GetString().ShouldBe(first.Text);
    }

    [Test]
    public async Task NewConversationForgetsTheContextExactlyLikeClear()
    {
        var page = Page("o-new");

        await page.AskToEndAsync("第一段对话");
        var cleared = await page.ClearAsync();
        await page.AskToEndAsync("第二段对话");
        await dify.WaitForCallsAsync(3, TimeSpan.FromSeconds(5));

        cleared.ShouldBe(new MessagesOptions().Cleared);
        var chats = dify.Calls.Where(c => c.IsChat).ToList();
        chats[1].ConversationId.ShouldBeNull();
        dify.Calls.ShouldContain(c => c.IsDeleteConversation);
        var history = await page.HistoryAsync();
        history[0].GetProperty("newConversation").GetBoolean().ShouldBeFalse();
        history[1].GetProperty("newConversation").GetBoolean().ShouldBeTrue();
    }

    [Test]
    public async Task TheFollowersQuotaCountsPageAndWeChatQuestionsTogether()
    {
        await BootAsync(c => c["Limits:PerMinute"] = "1");
        var page = Page("o-quota");

        await AskInWeChatAsync("o-quota", "one in WeChat");
        var events = await page.AskToEndAsync("one on the page");

        events.Single().Name.ShouldBe("refused");
        events.Single().Message.ShouldBe(new MessagesOptions().QuotaExceeded);
        dify.ChatCallCount.ShouldBe(1);
        (await page.HistoryAsync()).Count.ShouldBe(1);
    }

    [Test]
    public async Task TheDifyConcurrencyCapAppliesToThePage()
    {
        await BootAsync(c =>
        {
            c["Limits:MaxConcurrentDifyCalls"] = "1";
            c["Limits:MaxWaitingForDify"] = "0";
        });
        dify.Gate = new TaskCompletionSource();

        await AskInWeChatAsync("o-someone-else", "holds the only Dify slot");
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        var events = await Page("o-capped").AskToEndAsync("no slot left");

        events.Single().Name.ShouldBe("refused");
        events.Single().Message.ShouldBe(new MessagesOptions().Busy);
        dify.ChatCallCount.ShouldBe(1);
        host.Services.GetRequiredService<DeliveryMetrics>().Totals()["Busy"].ShouldBe(1);
    }

    [Test]
    public async Task ADifyFailureEndsTheStreamWithTheFollowerFacingTextAndIsRecorded()
    {
        await BootAsync(c => c["Dify:MaxRetries"] = "0");
        dify.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 500, "internal_server_error", "boom");

        var events = await Page("o-failed").AskToEndAsync("will fail");

        var finished = events[^1];
        finished.Name.ShouldBe("finished");
        finished.Data.GetProperty("failed").GetBoolean().ShouldBeTrue();
        finished.Answer.ShouldBe(new MessagesOptions().DifyUnavailable);
        finished.Data.GetProperty("isMarkdown").GetBoolean().ShouldBeFalse();
    }

    [TestCase("")]
    [TestCase("   ")]
    public async Task AnEmptyQuestionIsRefusedWithoutCallingDify(string question)
    {
        var events = await Page("o-empty").AskToEndAsync(question);

        events.Single().Name.ShouldBe("refused");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task AnOverlongQuestionIsRefusedWithoutCallingDify()
    {
        var events = await Page("o-long").AskToEndAsync(new string('问', ChatService.MaxQuestionLength + 1));

        events.Single().Message.ShouldBe(new MessagesOptions().QuestionRejected);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task TheWebCommandAndMenuKeyReplyWithASignedLinkToTheFollowersOwnPage()
    {
        var byCommand = await AskInWeChatAsync("o-web", "web");
        var byMenu = FakeWeChat.Shown(await WeChat().DeliverAsync(WeChatWire.EventXml("o-web", WeChatAccount.Account, "CLICK", "web", FakeWeChat.Now())));

        foreach (var reply in new[] { byCommand, byMenu })
        {
            reply.ShouldNotBeNull();
            reply.ShouldContain("https://bot.example.com/chat?t=");
            reply.ShouldContain("1 天内有效");
            var token = System.Text.RegularExpressions.Regex.Match(reply, @"chat\?t=([A-Za-z0-9_\-\.]+)").Groups[1].Value;
            var check = host.Services.GetRequiredService<ChatLinkSigner>().Verify(token);
            check.Status.ShouldBe(ChatLinkStatus.Valid);
            check.Follower.ShouldBe(new Follower(Account.AppId, "o-web"));
            using var opened = await new ChatPageClient(client, token).OpenAsync();
            opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task AFollowerIdWithALineBreakGetsALinkToItsOwnPageAndNoOneElses()
    {
        const string openId = "o-line\nbreak";
        await AskInWeChatAsync(openId, "q-line");
        await AskInWeChatAsync("o-line", "q-prefix");

        var reply = await AskInWeChatAsync(openId, "web");

        reply.ShouldNotBeNull();
        reply.ShouldContain("https://bot.example.com/chat?t=");
        var token = System.Text.RegularExpressions.Regex.Match(reply, @"chat\?t=([A-Za-z0-9_\-\.]+)").Groups[1].Value;
        host.Services.GetRequiredService<ChatLinkSigner>().Verify(token).Follower.ShouldBe(new Follower(Account.AppId, openId));
        var page = new ChatPageClient(client, token);
        using var opened = await page.OpenAsync();
        opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.HistoryAsync()).Select(t => t.GetProperty("question").GetString()).ShouldBe(["q-line"]);
    }

    [Test]
    public async Task AFollowerIdNoLinkCanCarryGetsAClearTextInsteadOfABrokenLink()
    {
        var reply = await AskInWeChatAsync(new string('o', ChatLinkSigner.MaxTokenLength), "web");

        reply.ShouldBe(new MessagesOptions().ChatLinkUnavailable);
    }

    private sealed class StaticChatOptions(string key) : Microsoft.Extensions.Options.IOptionsMonitor<ChatOptions>
    {
        public ChatOptions CurrentValue { get; } = new() { SigningKey = key, PublicBaseUrl = "https://bot.example.com" };

        public ChatOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ChatOptions, string?> listener) => null;
    }
}

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Channels.WeCom;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Dify;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeCom;

/// <summary>
/// The WeCom channel end to end, in process: WeCom's side played by <see cref="FakeWeCom"/> (encrypting with the
/// tests' own <see cref="WeChatWire"/>), Dify and WeCom's API by real in-test Kestrel servers. Every callback must be
/// answered empty at once; everything the member sees arrives through message/send.
/// </summary>
public sealed class WeComConversationTests
{
    private const string HelpMarker = "/clear —— 清除上下文";
    private static readonly WeComApp App = WeComApp.Default;
    private FakeDifyServer dify = null!;
    private FakeWeComApi api = null!;
    private LogCollector logs = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;
    private FakeWeCom weCom = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        logs = new LogCollector();
        StartHost(Configuration());
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        client.Dispose();
        await host.DisposeAsync();
        logs.Dispose();
        await api.DisposeAsync();
        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = App.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        change?.Invoke(configuration);
        return configuration;
    }

    private void StartHost(Dictionary<string, string?> configuration)
    {
        host = new WinterAIHost(configuration, services => services.AddSingleton<ILoggerProvider>(logs));
        client = host.CreateClient();
        weCom = new FakeWeCom(client, App);
    }

    private async Task RestartHostAsync(Dictionary<string, string?> configuration)
    {
        client.Dispose();
        await host.DisposeAsync();
        StartHost(configuration);
    }

    /// <summary>Sends a message and checks that WeCom got its "received" (an empty 200).</summary>
    private async Task SayAsync(string user, string content)
    {
        var callback = await weCom.SendTextAsync(user, content);
        callback.IsReceived.ShouldBeTrue($"callback answered {callback.Status} '{callback.Body}'");
    }

    /// <summary>Sends a message and returns the content of the next message/send that goes out.</summary>
    private async Task<string?> AskAsync(string user, string content)
    {
        var before = api.Sent.Count;
        await SayAsync(user, content);
        return (await api.WaitForSendsAsync(before + 1))[before].Content;
    }

    private IReadOnlyList<FakeDifyCall> ChatCalls => dify.Calls.Where(c => c.IsChat).ToList();

    [Test]
    public async Task SendsDifysAnswerToTheRightMemberAndAgentThroughMessageSend()
    {
        var callback = await weCom.SendTextAsync("zhangsan", "你好");
        var sent = await api.WaitForSendsAsync(1);

        callback.IsReceived.ShouldBeTrue();
        ChatCalls.Single().User.ShouldBe($"{App.Account}:zhangsan");
        sent.Single().ShouldSatisfyAllConditions(
            s => s.ToUser.ShouldBe("zhangsan"),
            s => s.AgentId.ShouldBe(1000002),
            s => s.MsgType.ShouldBe("text"),
            s => s.Content.ShouldBe("echo: 你好"));
        api.TokenRequests.ShouldBe(1);
    }

    [Test]
    public async Task AnswersTheCallbackAtOnceWhileDifyIsStillThinking()
    {
        dify.Gate = new TaskCompletionSource();

        var callback = await weCom.SendTextAsync("lisi", "think hard");
        await dify.WaitForCallsAsync(1, Poll.DefaultDeadline);
        var sentWhileThinking = api.Sent.Count;
        dify.Gate.SetResult();
        var sent = await api.WaitForSendsAsync(1);

        callback.IsReceived.ShouldBeTrue();
        sentWhileThinking.ShouldBe(0);
        sent.Single().Content.ShouldBe("echo: think hard");
    }

    [Test]
    public async Task RetriesOfOneMsgIdCauseOneDifyCallAndOneMessage()
    {
        dify.Gate = new TaskCompletionSource();
        var xml = weCom.TextXml("wangwu", "once", FakeWeCom.NewMsgId());

        var deliveries = await Task.WhenAll(weCom.PostAsync(xml), weCom.PostAsync(xml), weCom.PostAsync(xml));
        dify.Gate.SetResult();
        await api.WaitForSendsAsync(1);
        var late = await weCom.PostAsync(xml);
        var next = await AskAsync("wangwu", "next");

        deliveries.ShouldAllBe(d => d.IsReceived);
        late.IsReceived.ShouldBeTrue();
        next.ShouldBe("echo: next");
        ChatCalls.Select(c => c.Query).ShouldBe(["once", "next"]);
        api.Sent.Select(s => s.Content).ShouldBe(["echo: once", "echo: next"]);
    }

    [Test]
    public async Task SendsALongAnswerAsOrderedPartsOfAtMost2048BytesThatJoinBackToTheWhole()
    {
        var paragraph = string.Concat(Enumerable.Repeat("冬天来了，春天还会远吗？", 40));
        var answer = string.Join("\n\n", Enumerable.Repeat(paragraph, 5)) + "\n\n完。";
        dify.Answer = _ => answer;

        await SayAsync("zhaoliu", "tell me everything");
        await Poll.UntilAsync(() => Task.FromResult(string.Concat(api.Sent.Select(s => s.Content)) == answer), "the parts join back to the whole answer");

        var parts = api.Sent;
        parts.Count.ShouldBeGreaterThan(3);
        parts.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p.Content!) <= 2048);
        parts.ShouldAllBe(p => p.ToUser == "zhaoliu" && p.MsgType == "text");
        parts.ShouldAllBe(p => !p.Content!.Contains("回复 1 查看下一段"));
        ChatCalls.Count.ShouldBe(1);
    }

    [Test]
    public async Task SendsAtMostTenPartsOfALongAnswerAndLeavesTheRestForFetch()
    {
        var paragraphs = Enumerable.Range(1, 12).Select(n => $"第{n}段：" + string.Concat(Enumerable.Repeat("冬天来了，春天还会远吗？", 40))).ToList();
        dify.Answer = _ => string.Join("\n\n", paragraphs);

        await SayAsync("reader", "the whole story");
        var pushed = await api.WaitForSendsAsync(10);
        var eleventh = await AskAsync("reader", "1");
        var twelfth = await AskAsync("reader", "1");

        pushed.Take(9).ShouldAllBe(p => !p.Content!.Contains("回复 1 查看下一段"));
        pushed[9].Content!.ShouldEndWith("（回复 1 查看下一段 11/12）");
        eleventh.ShouldStartWith("第11段");
        twelfth.ShouldStartWith("第12段");
        twelfth.ShouldNotContain("回复 1 查看下一段");
        ChatCalls.Count.ShouldBe(1);
    }

    [Test]
    public async Task RefusesQuestionsBeyondTheMembersQuotaWithoutCallingDify()
    {
        await RestartHostAsync(Configuration(c => c["Limits:PerMinute"] = "1"));

        var first = await AskAsync("greedy", "question 0");
        var second = await AskAsync("greedy", "question 1");

        first.ShouldBe("echo: question 0");
        second.ShouldBe("你提问得太频繁了，请稍后再试。");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task KeepsTheMembersDifyContextAndForgetsItOnClear()
    {
        await AskAsync("context", "first");
        await AskAsync("context", "second");
        var cleared = await AskAsync("context", "/clear");
        await AskAsync("context", "third");

        cleared.ShouldBe("已清除上下文，我们开始新的对话吧。");
        var calls = ChatCalls;
        calls.Count.ShouldBe(3);
        calls[0].ConversationId.ShouldBeNull();
        calls[1].ConversationId.ShouldNotBeNull();
        calls[2].ConversationId.ShouldBeNull();
        calls.ShouldAllBe(c => c.User == $"{App.Account}:context");
    }

    [Test]
    public async Task SendsTheHelpTextForHelpEnteringTheAppSubscribingAndTheHelpMenuKey()
    {
        var help = await AskAsync("helpme", "/help");
        await weCom.SendEventAsync("helpme", "enter_agent");
        await weCom.SendEventAsync("helpme", "subscribe", createTime: FakeWeCom.Now() + 1);
        await weCom.SendEventAsync("helpme", "click", "help", FakeWeCom.Now() + 2);
        var sent = await api.WaitForSendsAsync(4);

        help!.ShouldContain(HelpMarker);
        sent.ShouldAllBe(s => s.Content!.Contains(HelpMarker) && s.ToUser == "helpme");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task ARetriedEventIsAnsweredOnce()
    {
        var createTime = FakeWeCom.Now();
        var first = await weCom.SendEventAsync("again", "enter_agent", createTime: createTime);
        var retry = await weCom.SendEventAsync("again", "enter_agent", createTime: createTime);
        await SayAsync("again", "/help");
        var sent = await api.WaitForSendsAsync(2);

        first.IsReceived.ShouldBeTrue();
        retry.IsReceived.ShouldBeTrue();
        sent.Count.ShouldBe(2);
    }

    [Test]
    public async Task FetchSendsTheLatestAnswerAgainWithItsQuestion()
    {
        await AskAsync("fetcher", "what is winter");

        var fetched = await AskAsync("fetcher", "1");

        fetched.ShouldBe("what is winter\n——————\necho: what is winter");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task FetchWithNothingAskedSaysThereIsNoAnswerYet()
    {
        (await AskAsync("newcomer", "1")).ShouldBe("暂时没有可以查看的回答，直接发送你的问题吧。");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task QueuesAFollowUpBehindTheRunningQuestionAndSendsBothAnswersInOrder()
    {
        dify.Gate = new TaskCompletionSource();
        await SayAsync("follow", "first question");
        await SayAsync("follow", "second question");
        await dify.WaitForCallsAsync(1, Poll.DefaultDeadline);
        var callsWhileFirstRuns = dify.ChatCallCount;
        dify.Gate.SetResult();
        var sent = await api.WaitForSendsAsync(2);

        callsWhileFirstRuns.ShouldBe(1);
        sent.Select(s => s.Content).ShouldBe(["echo: first question", "echo: second question"]);
        ChatCalls[0].ConversationId.ShouldBeNull();
        ChatCalls[1].ConversationId.ShouldBe(dify.Conversations.Keys.Single());
    }

    [Test]
    public async Task UnsupportedMessageTypesGetFriendlyTextsThroughMessageSend()
    {
        var image = weCom.MessageXml("typist", "image", "<PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>", FakeWeCom.NewMsgId());
        var voice = weCom.MessageXml("typist", "voice", "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format>", FakeWeCom.NewMsgId());

        (await weCom.PostAsync(image)).IsReceived.ShouldBeTrue();
        var sent = await api.WaitForSendsAsync(1);
        (await weCom.PostAsync(voice)).IsReceived.ShouldBeTrue();
        sent = await api.WaitForSendsAsync(2);

        sent.Select(s => s.Content).ShouldBe(["暂时还看不懂图片，请用文字描述你的问题。", "没有听清这段语音，请用文字再说一遍。"]);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task RefreshesAnExpiredTokenOnceAndStillDelivers()
    {
        await AskAsync("expiry", "before");
        api.ExpireTokens();

        var after = await AskAsync("expiry", "after");

        after.ShouldBe("echo: after");
        api.TokenRequests.ShouldBe(2);
        api.Attempts.Select(a => a.ErrCode).ShouldBe([0, 42001, 0]);
    }

    [Test]
    public async Task RetriesWhileWeComIsBusyAndDelivers()
    {
        using var recorder = new MetricRecorder(host.Services.GetRequiredService<WeComMetrics>().Meter);
        api.Script(-1, -1);

        var answer = await AskAsync("busy", "are you there");
        await Poll.UntilAsync(() => Task.FromResult(recorder.Count("winterai.wecom.sends", "outcome", "sent") == 1), "the send is counted");

        answer.ShouldBe("echo: are you there");
        api.Attempts.Select(a => a.ErrCode).ShouldBe([-1, -1, 0]);
        recorder.Count("winterai.wecom.sends", "outcome", "busy").ShouldBe(2);
    }

    [Test]
    public async Task ARefusedAnswerIsLoggedWithItsErrcodeCountedAndKeptForFetch()
    {
        using var recorder = new MetricRecorder(host.Services.GetRequiredService<WeComMetrics>().Meter);
        var deliveries = host.Services.GetRequiredService<DeliveryMetrics>();
        api.Script(60020);

        await SayAsync("refused", "keep this");
        await Poll.UntilAsync(() => Task.FromResult(deliveries.Totals().GetValueOrDefault(nameof(DeliveryOutcome.PushFallback)) == 1), "the refused answer falls back to 1");
        var fetched = await AskAsync("refused", "1");

        api.Attempts[0].ErrCode.ShouldBe(60020);
        logs.Lines.ShouldContain(l => l.Contains("errcode 60020") && l.Contains("available through 1"));
        recorder.Count("winterai.wecom.sends", "errcode", 60020).ShouldBe(1);
        fetched.ShouldBe("（上一条回答未能直接发送给你，发送 1 即可查看。）\n\nkeep this\n——————\necho: keep this");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task MarkdownModeSendsDifysMarkdownForWeComToRender()
    {
        await RestartHostAsync(Configuration(c => c["WeCom:MessageType"] = "markdown"));
        const string markdown = "# 冬天\n\n**注意**：多穿衣服，见 [天气](https://example.com/weather)。";
        dify.Answer = _ => markdown;

        var answer = await AskAsync("md", "天气如何");
        var fetched = await AskAsync("md", "1");

        answer.ShouldBe(markdown);
        api.Sent.ShouldAllBe(s => s.MsgType == "markdown");
        fetched.ShouldBe($"天气如何\n——————\n{markdown}");
    }

    [Test]
    public async Task TextModeRendersDifysMarkdownAsPlainText()
    {
        dify.Answer = _ => "# 冬天\n\n**注意**：多穿衣服。";

        (await AskAsync("plain", "天气如何")).ShouldBe("【冬天】\n注意：多穿衣服。");
    }

    [Test]
    public async Task BothChannelsConfiguredAtOnceWorkSideBySideWithSeparateConversations()
    {
        var both = Configuration(c =>
        {
            foreach (var (key, value) in WeChatAccount.Default.Configuration())
            {
                c[key] = value;
            }

            foreach (var (key, value) in WinterAIHost.QuickReplies())
            {
                c[key] = value;
            }
        });
        await RestartHostAsync(both);
        var weChat = new FakeWeChat(client, WeChatAccount.Default);

        var viaWeChat = FakeWeChat.Shown(await weChat.SendTextAsync("same-id", "from wechat"));
        var viaWeCom = await AskAsync("same-id", "from wecom");
        var againViaWeChat = FakeWeChat.Shown(await weChat.SendTextAsync("same-id", "wechat again"));

        viaWeChat.ShouldBe("echo: from wechat");
        viaWeCom.ShouldBe("echo: from wecom");
        againViaWeChat.ShouldBe("echo: wechat again");
        var calls = ChatCalls;
        calls.Select(c => c.User).ShouldBe([$"{WeChatAccount.Default.AppId}:same-id", $"{App.Account}:same-id", $"{WeChatAccount.Default.AppId}:same-id"]);
        calls[1].ConversationId.ShouldBeNull();
        calls[2].ConversationId.ShouldNotBeNull();
        api.Sent.Single().ToUser.ShouldBe("same-id");
    }

    [Test]
    public async Task AnswersMembersWithAClearTextWhenDifyIsNotConfigured()
    {
        await RestartHostAsync(Configuration(c => c["Dify:ApiKey"] = ""));

        (await AskAsync("nodify", "hello"))!.ShouldContain("Dify is not configured");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task NeverLogsTheSecretOrAnAccessToken()
    {
        await AskAsync("quiet", "hello");
        api.ExpireTokens();
        api.Script(60020);
        await SayAsync("quiet", "again");
        await Poll.UntilAsync(() => Task.FromResult(api.Attempts.Count >= 3), "the refused send");
        await Poll.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("errcode 60020"))), "the refusal is logged");

        var tokens = api.Attempts.Select(a => a.AccessToken!).Distinct().ToList();
        logs.Lines.ShouldAllBe(l => !l.Contains(App.Secret) && !l.Contains(App.EncodingAesKey) && !tokens.Any(l.Contains));
    }
}

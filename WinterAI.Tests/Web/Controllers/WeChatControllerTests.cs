using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

public sealed class WeChatControllerTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;
    private WinterAIHost? plainHost;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        host = new WinterAIHost(Configuration());
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        if (plainHost is not null)
        {
            await plainHost.DisposeAsync();
            plainHost = null;
        }

        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        change?.Invoke(configuration);
        return configuration;
    }

    /// <summary>Plaintext callbacks go to a second host whose account is in plain mode: the main one has an AES key, so it is encrypted.</summary>
    private FakeWeChat WeChat(WeChatMode mode = WeChatMode.Safe) =>
        new(mode == WeChatMode.Plaintext ? PlainClient() : client, Account, mode) { Timeout = TimeSpan.FromSeconds(5) };

    private HttpClient PlainClient()
    {
        plainHost ??= new WinterAIHost(Configuration(c => c["WeChat:Mode"] = "plain"));
        return plainHost.CreateClient();
    }

    private async Task<string?> AskAsync(string openId, string content, WeChatMode mode = WeChatMode.Safe) =>
        FakeWeChat.Shown(await WeChat(mode).SendTextAsync(openId, content));

    private static string Query(string token, long timestamp, string nonce) =>
        $"signature={WeChatWire.Sign(token, timestamp.ToString(), nonce)}&timestamp={timestamp}&nonce={nonce}";

    [Test]
    public async Task EchoesTheEchostrWhenTheUrlVerificationIsSigned()
    {
        var response = await client.GetAsync($"/wechat?{Query(Account.Token, FakeWeChat.Now(), "42")}&echostr=hello-echo");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("hello-echo");
    }

    [Test]
    public async Task RefusesAUrlVerificationSignedWithAnotherToken()
    {
        var response = await client.GetAsync($"/wechat?{Query("not-the-token", FakeWeChat.Now(), "42")}&echostr=hello-echo");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("hello-echo");
    }

    [TestCase(WeChatMode.Safe)]
    [TestCase(WeChatMode.Compatible)]
    [TestCase(WeChatMode.Plaintext)]
    public async Task RepliesWithDifysAnswerInEveryEncryptionMode(WeChatMode mode)
    {
        var shown = await AskAsync("o-mode-" + mode, "你好", mode);

        shown.ShouldBe("echo: 你好");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task SendsTheFollowersConversationIdWithTheNextQuestionAndForgetsItOnClear()
    {
        await AskAsync("o-context", "first");
        await AskAsync("o-context", "second");
        var cleared = await AskAsync("o-context", "/clear");
        await AskAsync("o-context", "third");

        var calls = dify.Calls.Where(c => c.Path.EndsWith("/chat-messages")).ToList();
        calls.Count.ShouldBe(3);
        calls[0].ConversationId.ShouldBeNull();
        calls[1].ConversationId.ShouldNotBeNull();
        calls[1].User.ShouldBe(calls[0].User);
        cleared.ShouldBe("已清除上下文，我们开始新的对话吧。");
        calls[2].ConversationId.ShouldBeNull();
        await dify.WaitForCallsAsync(4, TimeSpan.FromSeconds(5));
        dify.Calls.ShouldContain(c => c.Method == "DELETE" && c.Path.EndsWith("/conversations/" + calls[1].ConversationId));
    }

    [Test]
    public async Task ForgedSignatureGets401AndNeitherCallsDifyNorChangesState()
    {
        var xml = WeChatWire.TextMessageXml("o-forged", WeChatAccount.Account, "hi", 123456, FakeWeChat.Now());
        var forged = new FakeWeChat(client, Account with { Token = "forged" }, WeChatMode.Safe);

        var delivery = await forged.PostOnceAsync(xml);

        delivery.Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
        var store = host.Services.GetRequiredService<IStateStore>();
        var keys = host.Services.GetRequiredService<StoreKeys>();
        var follower = new Follower(Account.AppId, "o-forged");
        (await store.GetAsync(keys.Claim(follower, "123456"))).ShouldBeNull();
        (await store.GetAsync(keys.Deliveries(follower, "123456"))).ShouldBeNull();
    }

    [Test]
    public async Task ForgedMsgSignatureOverTheCiphertextGets401()
    {
        using var request = WeChat().BuildRequest(WeChatWire.TextMessageXml("o-x", WeChatAccount.Account, "hi", 1, FakeWeChat.Now()));
        var uri = request.RequestUri!.OriginalString;
        request.RequestUri = new Uri(uri[..(uri.IndexOf("msg_signature=", StringComparison.Ordinal) + 14)] + new string('0', 40), UriKind.Relative);

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
    }

    [TestCase(-301)]
    [TestCase(301)]
    public async Task StaleTimestampGets401(int secondsOff)
    {
        var xml = WeChatWire.TextMessageXml("o-stale", WeChatAccount.Account, "hi", 99, FakeWeChat.Now());
        using var request = WeChat().BuildRequest(xml, FakeWeChat.Now() + secondsOff);

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task MessageEncryptedForAnotherAppIdGets401()
    {
        var other = new FakeWeChat(client, Account with { AppId = "wx_someone_else" }, WeChatMode.Safe);

        var delivery = await other.PostOnceAsync(WeChatWire.TextMessageXml("o-app", WeChatAccount.Account, "hi", 5, FakeWeChat.Now()));

        delivery.Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task AcceptsThePreviousKeyDuringRotationAndRepliesUnderIt()
    {
        const string newKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
        await using var rotated = new WinterAIHost(Configuration(c =>
        {
            c["WeChat:EncodingAESKey"] = newKey;
            c["WeChat:PreviousEncodingAESKey"] = Account.EncodingAesKey;
        }));
        using var rotatedClient = rotated.CreateClient();

        var viaOldKey = await new FakeWeChat(rotatedClient, Account).SendTextAsync("o-rotate", "old key");
        var viaNewKey = await new FakeWeChat(rotatedClient, Account with { EncodingAesKey = newKey }).SendTextAsync("o-rotate", "new key");

        FakeWeChat.Shown(viaOldKey).ShouldBe("echo: old key");
        FakeWeChat.Shown(viaNewKey).ShouldBe("echo: new key");
    }

    [TestCase(64 * 1024 + 1)]
    [TestCase(5 * 1024 * 1024)]
    public async Task RefusesBodiesOver64KiBWith413(int size)
    {
        using var request = WeChat(WeChatMode.Plaintext).BuildRequest(WeChatWire.TextMessageXml("o-big", WeChatAccount.Account, new string('x', size), 7, FakeWeChat.Now()));

        using var response = await PlainClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task RejectsAnXxeBodyWithoutReadingTheFile()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"winterai-xxe-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT");
        var xml = $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file://{secret}\">]>" +
                  $"<xml><ToUserName>gh</ToUserName><FromUserName>o-xxe</FromUserName><CreateTime>{FakeWeChat.Now()}</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>8</MsgId></xml>";

        foreach (var mode in new[] { WeChatMode.Plaintext, WeChatMode.Safe })
        {
            using var request = WeChat(mode).BuildRequest(mode == WeChatMode.Plaintext ? xml : "<xml/>");
            if (mode == WeChatMode.Safe)
            {
                request.Content = new StringContent(xml, Encoding.UTF8, "text/xml");
            }

            using var response = await (mode == WeChatMode.Plaintext ? PlainClient() : client).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            response.StatusCode.ShouldBeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized);
            body.ShouldNotContain("TOP-SECRET");
        }

        dify.ChatCallCount.ShouldBe(0);
        File.Delete(secret);
    }

    [TestCase("<xml><ToUserName>gh</ToUserName>", TestName = "MalformedXmlGets400")]
    [TestCase("<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName></xml>", TestName = "XmlWithoutRequiredElementsGets400")]
    public async Task MalformedPlaintextBodiesGet400(string body)
    {
        using var request = WeChat(WeChatMode.Plaintext).BuildRequest("<xml><FromUserName>o</FromUserName></xml>");
        request.Content = new StringContent(body, Encoding.UTF8, "text/xml");

        using var response = await PlainClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("   at ");
        text.ShouldNotContain("Line 1", Case.Insensitive);
        text.ShouldNotContain("<FromUserName>", Case.Insensitive);
    }

    [TestCase("not base64 at all!", TestName = "EncryptNotBase64Gets400")]
    [TestCase("AAAA", TestName = "EncryptShorterThanABlockGets400")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TestName = "EncryptWithBadPaddingGets400")]
    public async Task MalformedCiphertextGets400(string encrypt)
    {
        var timestamp = FakeWeChat.Now();
        var query = Query(Account.Token, timestamp, "77") + $"&encrypt_type=aes&msg_signature={WeChatWire.Sign(Account.Token, timestamp.ToString(), "77", encrypt)}";
        var body = $"<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";

        using var response = await client.PostAsync("/wechat?" + query, new StringContent(body, Encoding.UTF8, "text/xml"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task FetchReturnsTheQuestionASeparatorAndTheAnswer()
    {
        await AskAsync("o-fetch", "what is winter");

        var fetched = await AskAsync("o-fetch", "1");

        fetched.ShouldBe("what is winter\n——————\necho: what is winter");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task FetchWithNothingAskedSaysThereIsNoAnswerYet()
    {
        (await AskAsync("o-nothing", "1")).ShouldBe("暂时没有可以查看的回答，直接发送你的问题吧。");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task SlowAnswerGetsTheWaitMessageAndIsKeptForFetch()
    {
        dify.Gate = new TaskCompletionSource();
        var single = new FakeWeChat(client, Account) { Deliveries = 1, Timeout = TimeSpan.FromSeconds(5) };

        var shown = FakeWeChat.Shown(await single.SendTextAsync("o-slow", "take your time"));
        dify.Gate.SetResult();
        var fetched = await AskAsync("o-slow", "1");

        shown.ShouldBe("正在思考中，回答需要一点时间……请稍后发送 1 查看回复。");
        fetched.ShouldBe("take your time\n——————\necho: take your time");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task RepeatedDeliveriesOfOneMsgIdStartOneDifyCall()
    {
        dify.Gate = new TaskCompletionSource();
        var weChat = new FakeWeChat(client, Account) { Deliveries = 1 };
        var xml = WeChatWire.TextMessageXml("o-repeat", WeChatAccount.Account, "once", FakeWeChat.NewMsgId(), FakeWeChat.Now());

        var first = weChat.PostOnceAsync(xml, 1);
        var second = weChat.PostOnceAsync(xml, 2);
        var third = weChat.PostOnceAsync(xml, 3);
        await Task.WhenAll(first, second, third);
        dify.Gate.SetResult();
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        var again = await weChat.PostOnceAsync(xml, 4);

        dify.ChatCallCount.ShouldBe(1);
        again.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task AFollowerReusingAnotherFollowersMsgIdGetsTheAnswerToItsOwnQuestion()
    {
        var first = FakeWeChat.Shown(await WeChat().SendTextAsync("oA", "q-A", msgId: 777));
        var second = FakeWeChat.Shown(await WeChat().SendTextAsync("oB", "q-B", msgId: 777));
        var fetchedBySecond = await AskAsync("oB", "1");

        first.ShouldBe("echo: q-A");
        second.ShouldBe("echo: q-B");
        fetchedBySecond.ShouldBe("q-B\n——————\necho: q-B");
        dify.Calls.Where(c => c.IsChat).Select(c => (c.User, c.Query)).ShouldBe([($"{Account.AppId}:oA", "q-A"), ($"{Account.AppId}:oB", "q-B")]);
    }

    [Test]
    public async Task AnswersWithAClearTextWhenDifyIsNotConfigured()
    {
        await using var unconfigured = new WinterAIHost(Configuration(c => c["Dify:ApiKey"] = ""));
        using var unconfiguredClient = unconfigured.CreateClient();

        var shown = FakeWeChat.Shown(await new FakeWeChat(unconfiguredClient, Account).SendTextAsync("o-nodify", "hello"));

        shown!.ShouldContain("Dify is not configured");
        dify.ChatCallCount.ShouldBe(0);
    }

    [TestCase("/help", "/help")]
    [TestCase("subscribe", null)]
    [TestCase("CLICK", "help")]
    public async Task HelpReachesTheFollowerByCommandSubscriptionAndMenu(string what, string? key)
    {
        var xml = what == "/help"
            ? WeChatWire.TextMessageXml("o-help", WeChatAccount.Account, "/help", FakeWeChat.NewMsgId(), FakeWeChat.Now())
            : WeChatWire.EventXml("o-help", WeChatAccount.Account, what, key, FakeWeChat.Now());

        var shown = FakeWeChat.Shown(await WeChat().DeliverAsync(xml));

        shown.ShouldNotBeNull();
        shown.ShouldContain("/clear");
        shown.ShouldContain("1 —— 查看最新的回答");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task ConfiguredMenuKeysAndKeywordsAnswerWithoutDify()
    {
        await using var configured = new WinterAIHost(Configuration(c =>
        {
            c["Messages:Menu:coffee"] = "coffee thanks";
            c["Messages:Keywords:价格"] = "免费";
            c["Messages:KeywordRules:0:Pattern"] = "^(营业|开门)时间";
            c["Messages:KeywordRules:0:Regex"] = "true";
            c["Messages:KeywordRules:0:Reply"] = "每天 9:00–18:00";
            c["Messages:KeywordRules:1:Pattern"] = "帮帮我";
            c["Messages:KeywordRules:1:Reply"] = "@help";
        }));
        using var configuredClient = configured.CreateClient();
        var weChat = new FakeWeChat(configuredClient, Account);

        var coffee = FakeWeChat.Shown(await weChat.DeliverAsync(WeChatWire.EventXml("o-menu", WeChatAccount.Account, "CLICK", "coffee", FakeWeChat.Now())));
        var keyword = FakeWeChat.Shown(await weChat.SendTextAsync("o-menu", "价格"));

        var regex = FakeWeChat.Shown(await weChat.SendTextAsync("o-menu", "开门时间是几点？"));
        var exactRule = FakeWeChat.Shown(await weChat.SendTextAsync("o-menu", "帮帮我"));
        var notQuite = FakeWeChat.Shown(await weChat.SendTextAsync("o-menu", "请问营业时间"));

        coffee.ShouldBe("coffee thanks");
        keyword.ShouldBe("免费");
        regex.ShouldBe("每天 9:00–18:00");
        exactRule!.ShouldContain("/clear");
        notQuite.ShouldBe("echo: 请问营业时间");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task UnsubscribeIsAnsweredWithSuccess()
    {
        var deliveries = await WeChat().DeliverAsync(WeChatWire.EventXml("o-bye", WeChatAccount.Account, "unsubscribe", null, FakeWeChat.Now()));

        deliveries[^1].IsSilentSuccess.ShouldBeTrue();
    }

    [Test]
    public async Task VoiceWithRecognitionIsAskedAsTextAndOtherTypesGetFriendlyTexts()
    {
        var now = FakeWeChat.Now();
        var voice = $"<xml><ToUserName>gh</ToUserName><FromUserName>o-voice</FromUserName><CreateTime>{now}</CreateTime><MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><Recognition>今天天气</Recognition><MsgId>{FakeWeChat.NewMsgId()}</MsgId></xml>";
        var bareVoice = $"<xml><ToUserName>gh</ToUserName><FromUserName>o-voice</FromUserName><CreateTime>{now}</CreateTime><MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><MsgId>{FakeWeChat.NewMsgId()}</MsgId></xml>";
        var image = $"<xml><ToUserName>gh</ToUserName><FromUserName>o-voice</FromUserName><CreateTime>{now}</CreateTime><MsgType>image</MsgType><PicUrl>http://x/y.png</PicUrl><MediaId>m</MediaId><MsgId>{FakeWeChat.NewMsgId()}</MsgId></xml>";

        FakeWeChat.Shown(await WeChat().DeliverAsync(voice)).ShouldBe("echo: 今天天气");
        FakeWeChat.Shown(await WeChat().DeliverAsync(bareVoice)).ShouldBe("没有听清这段语音，请用文字再说一遍。");
        FakeWeChat.Shown(await WeChat().DeliverAsync(image)).ShouldBe("暂时还看不懂图片，请用文字描述你的问题。");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task ForgetsAConversationDifyNoLongerKnowsAndStartsANewOne()
    {
        var store = host.Services.GetRequiredService<IStateStore>();
        var keys = host.Services.GetRequiredService<StoreKeys>();
        var stale = Guid.NewGuid().ToString();
        await store.SetAsync(keys.Conversation(Account.AppId, "o-gone"), stale, TimeSpan.FromMinutes(5));

        var shown = await AskAsync("o-gone", "still there?");
        await AskAsync("o-gone", "and now?");

        shown.ShouldBe("echo: still there?");
        var calls = dify.Calls.Where(c => c.Path.EndsWith("/chat-messages")).ToList();
        calls.Select(c => c.ConversationId).Take(2).ShouldBe([stale, null]);
        var fresh = await store.GetAsync(keys.Conversation(Account.AppId, "o-gone"));
        fresh.ShouldNotBeNull();
        fresh.ShouldNotBe(stale);
        calls[2].ConversationId.ShouldBe(fresh);
    }

    [Test]
    public async Task ChannelWithoutATokenIsOff()
    {
        await using var off = new WinterAIHost(new Dictionary<string, string?>());
        using var offClient = off.CreateClient();

        (await offClient.GetAsync("/wechat?signature=a&timestamp=1&nonce=2&echostr=x")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await offClient.PostAsync("/wechat", new StringContent("<xml/>"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task RetriesDifysRateLimitAndStillAnswers()
    {
        var attempts = 0;
        dify.Behaviour = (call, context) => call.IsChat && Interlocked.Increment(ref attempts) <= 2
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "Too many requests", retryAfter: "0")
            : dify.RespondAsDifyAsync(call, context);

        var shown = await AskAsync("o-429", "busy?");

        shown.ShouldBe("echo: busy?");
        dify.ChatCallCount.ShouldBe(3);
    }

    [TestCase(429, "too_many_requests", "提问的人太多了，请稍后再试。")]
    [TestCase(400, "provider_quota_exceeded", "AI 服务的额度已用完，请联系管理员。")]
    [TestCase(400, "app_unavailable", "AI 服务暂时不可用，请稍后再试。")]
    [TestCase(401, "unauthorized", "AI 服务配置有误，请联系管理员。")]
    [TestCase(400, "invalid_param", "抱歉，这次没能生成回答，请换个说法再试一次。")]
    public async Task TellsTheFollowerInPlainWordsWhyDifyCouldNotAnswer(int status, string code, string expected)
    {
        dify.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, status, code, "refused", retryAfter: "0");

        (await AskAsync("o-fail-" + code, "anyone there?")).ShouldBe(expected);
    }

    [Test]
    public async Task AnErrorEventInTheMiddleOfTheStreamGetsTheFriendlyFailureTextAndNoRetry()
    {
        dify.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendPingAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("half an ans", "c-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.ErrorEvent(500, "completion_request_error", "model crashed"));
        };

        var shown = await AskAsync("o-midstream", "crash please");

        shown.ShouldBe("抱歉，这次没能生成回答，请换个说法再试一次。");
        dify.ChatCallCount.ShouldBe(1);
    }
}

using System.Xml.Linq;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.Voice;

/// <summary>
/// <c>Dify:VoiceReplies</c> on the official account: a short answer to a spoken question is read out by Dify
/// (<c>POST /text-to-audio</c>), uploaded as temporary voice media (<c>/cgi-bin/media/upload?type=voice</c>) and
/// replied as voice; <c>1</c> shows the text. Real in-test Dify and WeChat API servers.
/// </summary>
public sealed class VoiceReplyTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private FakeWeChatApi platform = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await platform.DisposeAsync();
        await dify.DisposeAsync();
    }

    private WinterAIHost Host(bool voiceReplies = true, bool push = false)
    {
        var configuration = WinterAIHost.OfficialAccountWith(dify);
        if (push)
        {
            configuration["WeChat:CustomerServicePush"] = "true";
            configuration["WeChat:ReplyWindow"] = "00:00:01";
            configuration["WeChat:HoldForRetry"] = "false";
        }

        configuration["WeChat:AppSecret"] = platform.AppSecret;
        configuration["WeChat:ApiBaseUrl"] = platform.BaseUrl;
        configuration["Dify:VoiceReplies"] = voiceReplies ? "true" : "false";
        return new WinterAIHost(configuration);
    }

    private static string VoiceXml(string openId, string recognition) =>
        $"<xml><ToUserName>{Account.OriginalId}</ToUserName><FromUserName>{openId}</FromUserName><CreateTime>{FakeWeChat.Now()}</CreateTime><MsgType>voice</MsgType>" +
        $"<MediaId>m-voice</MediaId><Format>amr</Format><Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{FakeWeChat.NewMsgId()}</MsgId></xml>";

    private static async Task<WeChatDelivery> DeliverAsync(WinterAIHost host, string xml) =>
        (await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(5) }.DeliverAsync(xml))[^1];

    private static async Task<string?> AskAsync(WinterAIHost host, string openId, string text) =>
        FakeWeChat.Shown(await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync(openId, text));

    private static string? MsgType(WeChatDelivery delivery) => delivery.ReplyXml is null ? null : WeChatWire.Element(delivery.ReplyXml, "MsgType");

    private static string? VoiceMediaId(WeChatDelivery delivery) =>
        delivery.ReplyXml is null ? null : XElement.Parse(delivery.ReplyXml).Element("Voice")?.Element("MediaId")?.Value;

    private IReadOnlyList<FakeDifyCall> SpeechCalls => dify.Calls.Where(c => c.Path.EndsWith("/text-to-audio", StringComparison.Ordinal)).ToList();

    [Test]
    public async Task AShortAnswerToASpokenQuestionIsRepliedAsVoiceAndOneShowsTheText()
    {
        await using var host = Host();

        var reply = await DeliverAsync(host, VoiceXml("o-speak", "今天天气怎么样"));
        var text = await AskAsync(host, "o-speak", "1");

        MsgType(reply).ShouldBe("voice");
        var upload = platform.Uploads.Single();
        upload.Type.ShouldBe("voice");
        upload.Content.ShouldBe(dify.Speech);
        VoiceMediaId(reply).ShouldBe(upload.MediaId);
        SpeechCalls.Single().RawBody.ShouldContain("\"message_id\"");
        text.ShouldNotBeNull();
        text.ShouldContain("echo: 今天天气怎么样");
    }

    [Test]
    public async Task ATypedQuestionALongAnswerOrTheSettingOffGetText()
    {
        await using var host = Host();
        dify.Answer = call => call.Query == "说长一点" ? string.Concat(Enumerable.Repeat("冬天来了，春天还会远吗？", 30)) : $"echo: {call.Query}";

        var typed = await DeliverAsync(host, WeChatWire.TextMessageXml("o-typed", Account.OriginalId, "打字提问", FakeWeChat.NewMsgId(), FakeWeChat.Now()));
        var longAnswer = await DeliverAsync(host, VoiceXml("o-long", "说长一点"));
        await using var off = Host(voiceReplies: false);
        var settingOff = await DeliverAsync(off, VoiceXml("o-off", "今天天气"));

        MsgType(typed).ShouldBe("text");
        MsgType(longAnswer).ShouldBe("text");
        MsgType(settingOff).ShouldBe("text");
        SpeechCalls.ShouldBeEmpty();
        platform.Uploads.ShouldBeEmpty();
    }

    [Test]
    public async Task AnAnswerReadOutAfterTheReplyWindowIsPushedAsVoiceAndOneShowsTheText()
    {
        await using var host = Host(push: true);
        dify.Gate = new TaskCompletionSource();

        var reply = await DeliverAsync(host, VoiceXml("o-push", "今天天气"));
        dify.Gate.SetResult();
        await Poll.UntilAsync(() => Task.FromResult(platform.SentVoices.Count > 0), "the voice was pushed");
        var text = await AskAsync(host, "o-push", "1");

        reply.IsSilentSuccess.ShouldBeTrue("the answer was handed to the push");
        platform.SentVoices.Single().MediaId.ShouldBe(platform.Uploads.Single(u => u.Type == "voice").MediaId);
        platform.Sent.ShouldBeEmpty("only the voice is pushed");
        text!.ShouldContain("echo: 今天天气");
    }

    [Test]
    public async Task WhenDifyCannotSpeakTheFollowerGetsTheText()
    {
        await using var host = Host();
        dify.Behaviour = (call, context) => call.Path.EndsWith("/text-to-audio", StringComparison.Ordinal)
            ? FakeDifySse.ErrorAsync(context, 400, "app_unavailable", "Text to speech is not enabled.")
            : dify.RespondAsDifyAsync(call, context);

        var reply = await DeliverAsync(host, VoiceXml("o-mute", "今天天气"));

        MsgType(reply).ShouldBe("text");
        reply.Content.ShouldNotBeNull();
        reply.Content.ShouldContain("echo: 今天天气");
        platform.Uploads.ShouldBeEmpty();
    }

    [Test]
    public async Task WhenWeChatRefusesTheVoiceTheFollowerGetsTheText()
    {
        await using var host = Host();
        platform.UploadFailure = 40004;

        var reply = await DeliverAsync(host, VoiceXml("o-refused", "今天天气"));

        MsgType(reply).ShouldBe("text");
        reply.Content!.ShouldContain("echo: 今天天气");
        SpeechCalls.Count.ShouldBe(1);
    }
}

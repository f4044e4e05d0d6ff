using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.Voice;

/// <summary>
/// Voice without WeChat's recognition is fetched through the platform's <c>/cgi-bin/media/get</c> (real in-test
/// stand-ins), converted by a real ffmpeg and transcribed by the fake Dify's <c>/audio-to-text</c> when the turn runs;
/// what was heard is the question. Voice with WeChat's recognition is asked as its text, as before.
/// </summary>
public sealed class VoiceTests
{
    private const string Heard = "今天天气怎么样";
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly WeComApp App = WeComApp.Default;
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private FakeWeChatApi platform = null!;
    private CapturingLoggerProvider logs = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Parameters["speech_to_text"] = new JsonObject { ["enabled"] = true };
        dify.Transcript = _ => Heard;
        platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
        logs = new CapturingLoggerProvider();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await platform.DisposeAsync();
        await dify.DisposeAsync();
        logs.Dispose();
    }

    private WinterAIHost OfficialAccount(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        // Longer than the other channel tests: a real ffmpeg runs inside the window, on a busy test machine too.
        configuration["WeChat:ReplyWindow"] = "00:00:04";
        configuration["WeChat:AppSecret"] = platform.AppSecret;
        configuration["WeChat:ApiBaseUrl"] = platform.BaseUrl;
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        change?.Invoke(configuration);
        return new WinterAIHost(configuration, services => services.AddSingleton<ILoggerProvider>(logs));
    }

    private static string VoiceXml(string openId, string mediaId, string? recognition = null) =>
        $"<xml><ToUserName>{Account.OriginalId}</ToUserName><FromUserName>{openId}</FromUserName><CreateTime>{FakeWeChat.Now()}</CreateTime><MsgType>voice</MsgType>" +
        $"<MediaId><![CDATA[{mediaId}]]></MediaId><Format><![CDATA[amr]]></Format>" +
        (recognition is null ? "" : $"<Recognition><![CDATA[{recognition}]]></Recognition>") +
        $"<MsgId>{FakeWeChat.NewMsgId()}</MsgId></xml>";

    private static async Task<string?> SendAsync(WinterAIHost host, string xml) =>
        FakeWeChat.Shown(await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(10) }.DeliverAsync(xml));

    [Test]
    public async Task AVoiceWithoutRecognitionIsConvertedTranscribedAndAskedAsTheHeardText()
    {
        TestFfmpeg.Require();
        platform.Media["voice-1"] = TestFfmpeg.AmrRecording();
        await using var host = OfficialAccount();

        var shown = await SendAsync(host, VoiceXml("o-voice", "voice-1"));

        shown.ShouldBe($"「{Heard}」\n{Texts.Separator}\necho: {Heard}");
        var recording = dify.Recordings.Single();
        recording.ContentType.ShouldBe("audio/mpeg");
        recording.FileName.ShouldBe("voice.mp3");
        recording.User.ShouldNotBeNullOrEmpty();
        (recording.Content.AsSpan().StartsWith("ID3"u8) || recording.Content[0] == 0xFF).ShouldBeTrue("Dify got an MP3, not the AMR");
        dify.Calls.Single(c => c.IsChat).Query.ShouldBe(Heard);
        platform.MediaDownloads.ShouldBe(1);
    }

    [Test]
    public async Task ASpokenCommandWorksLikeTypedText()
    {
        TestFfmpeg.Require();
        platform.Media["voice-help"] = TestFfmpeg.AmrRecording();
        dify.Transcript = _ => "/help";
        await using var host = OfficialAccount();

        var shown = await SendAsync(host, VoiceXml("o-command", "voice-help"));

        shown.ShouldBe($"「/help」\n{Texts.Separator}\n{Texts.Help}");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task TheAnswerFetchedWithOneShowsWhatWasHeardOnce()
    {
        TestFfmpeg.Require();
        platform.Media["voice-slow"] = TestFfmpeg.AmrRecording();
        dify.Gate = new TaskCompletionSource();
        await using var host = OfficialAccount(c => c["WeChat:ReplyWindow"] = "00:00:01");

        (await SendAsync(host, VoiceXml("o-slow", "voice-slow"))).ShouldBe(Texts.Wait);
        await dify.WaitForCallsAsync(2, TimeSpan.FromSeconds(10));
        dify.Gate.SetResult();
        var fetched = FakeWeChat.Shown(await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(10) }.SendTextAsync("o-slow", "1"));

        fetched.ShouldBe($"「{Heard}」\n{Texts.Separator}\necho: {Heard}");
    }

    [Test]
    public async Task TheWeComAppTranscribesVoiceFetchedThroughItsMediaGet()
    {
        TestFfmpeg.Require();
        await using var api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        api.Media["wecom-voice"] = TestFfmpeg.AmrRecording();
        var configuration = App.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        await using var host = new WinterAIHost(configuration);
        var weCom = new FakeWeCom(host.CreateClient(), App);

        var voice = weCom.MessageXml("member", "voice", "<MediaId><![CDATA[wecom-voice]]></MediaId><Format><![CDATA[amr]]></Format>", FakeWeCom.NewMsgId());
        (await weCom.PostAsync(voice)).IsReceived.ShouldBeTrue();
        var sent = await api.WaitForSendsAsync(1);

        sent.Single().Content.ShouldBe($"「{Heard}」\n{Texts.Separator}\necho: {Heard}");
        dify.Recordings.Single().ContentType.ShouldBe("audio/mpeg");
        dify.Calls.Single(c => c.IsChat).Query.ShouldBe(Heard);
    }

    [Test]
    public async Task WithoutFfmpegTheFollowerGetsTheFriendlyTextAndTheLogSaysWhyOnce()
    {
        platform.Media["voice-a"] = TestFfmpeg.AmrRecording();
        platform.Media["voice-b"] = TestFfmpeg.AmrRecording();
        await using var host = OfficialAccount(c => c["Media:FfmpegPath"] = "/nonexistent/bin/ffmpeg");

        var first = await SendAsync(host, VoiceXml("o-noffmpeg", "voice-a"));
        var second = await SendAsync(host, VoiceXml("o-noffmpeg", "voice-b"));

        first.ShouldBe(Texts.UnsupportedVoice);
        second.ShouldBe(Texts.UnsupportedVoice);
        logs.Lines.Count(l => l.Contains("ffmpeg was not found", StringComparison.Ordinal)).ShouldBe(1);
        logs.Lines.Single(l => l.Contains("ffmpeg was not found", StringComparison.Ordinal)).ShouldContain("Media:FfmpegPath");
        dify.Recordings.ShouldBeEmpty();
        dify.ChatCallCount.ShouldBe(0);
        platform.MediaDownloads.ShouldBe(0, "nothing is fetched that cannot be converted");
    }

    [Test]
    public async Task ATranscriptionDifyRefusesGetsTheFriendlyText()
    {
        TestFfmpeg.Require();
        platform.Media["voice-refused"] = TestFfmpeg.AmrRecording();
        dify.Behaviour = (call, context) => call.IsAudioToText
            ? FakeDifySse.ErrorAsync(context, 400, "provider_not_support_speech_to_text", "Provider not support speech to text.")
            : dify.RespondAsDifyAsync(call, context);
        await using var host = OfficialAccount();

        (await SendAsync(host, VoiceXml("o-refused", "voice-refused"))).ShouldBe(Texts.UnsupportedVoice);

        dify.ChatCallCount.ShouldBe(0);
        logs.Lines.ShouldContain(l => l.Contains("provider_not_support_speech_to_text", StringComparison.Ordinal));
    }

    [Test]
    public async Task AnAppWithSpeechToTextOffIsNotAskedToTranscribe()
    {
        platform.Media["voice-off"] = TestFfmpeg.AmrRecording();
        dify.Parameters["speech_to_text"] = new JsonObject { ["enabled"] = false };
        await using var host = OfficialAccount();

        (await SendAsync(host, VoiceXml("o-off", "voice-off"))).ShouldBe(Texts.UnsupportedVoice);

        dify.Calls.ShouldNotContain(c => c.IsAudioToText);
        platform.MediaDownloads.ShouldBe(0);
    }

    [Test]
    public async Task ARecordingWeChatNoLongerHasGetsTheVoiceUnavailableText()
    {
        TestFfmpeg.Require();
        await using var host = OfficialAccount();

        (await SendAsync(host, VoiceXml("o-expired", "expired-voice"))).ShouldBe(Texts.VoiceUnavailable);

        dify.Calls.ShouldNotContain(c => c.IsAudioToText);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task AVoiceWithRecognitionIsAskedAsItsTextWithoutTranscribing()
    {
        platform.Media["voice-recognised"] = TestFfmpeg.AmrRecording();
        await using var host = OfficialAccount();

        var shown = await SendAsync(host, VoiceXml("o-recognised", "voice-recognised", recognition: "明天会下雨吗"));

        shown.ShouldBe("echo: 明天会下雨吗");
        dify.Calls.ShouldNotContain(c => c.IsAudioToText);
        platform.MediaDownloads.ShouldBe(0);
    }
}

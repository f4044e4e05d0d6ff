using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.Pictures;

/// <summary>
/// Pictures followers send to the official account and the WeCom app reach Dify's vision model: fetched through the
/// platform's <c>/cgi-bin/media/get</c> (real in-test stand-ins), uploaded to the fake Dify and sent with the question;
/// a picture and the question after it are one turn.
/// </summary>
public sealed class PictureTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly WeComApp App = WeComApp.Default;
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private FakeWeChatApi platform = null!;
    private FakeMediaHost picHost = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Parameters = FakeDifyServer.DefaultParameters(imagesEnabled: true);
        platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
        picHost = await FakeMediaHost.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await picHost.DisposeAsync();
        await platform.DisposeAsync();
        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> OfficialAccount(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["WeChat:AppSecret"] = platform.AppSecret;
        configuration["WeChat:ApiBaseUrl"] = platform.BaseUrl;
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Media:AllowedHosts:0"] = "127.0.0.1";
        change?.Invoke(configuration);
        return configuration;
    }

    private static string ImageXml(string openId, string mediaId, string picUrl) =>
        $"<xml><ToUserName>{Account.OriginalId}</ToUserName><FromUserName>{openId}</FromUserName><CreateTime>{FakeWeChat.Now()}</CreateTime><MsgType>image</MsgType>" +
        $"<PicUrl><![CDATA[{picUrl}]]></PicUrl><MediaId><![CDATA[{mediaId}]]></MediaId><MsgId>{FakeWeChat.NewMsgId()}</MsgId></xml>";

    private static async Task<string?> SendAsync(WinterAIHost host, string xml) =>
        FakeWeChat.Shown(await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(5) }.DeliverAsync(xml));

    private static async Task<string?> AskAsync(WinterAIHost host, string openId, string text) =>
        FakeWeChat.Shown(await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync(openId, text));

    [Test]
    public async Task APictureIsFetchedWithMediaGetAndAskedAboutWithThePrompt()
    {
        var picture = FakeMediaHost.TinyPng();
        platform.Media["media-1"] = picture;
        await using var host = new WinterAIHost(OfficialAccount());

        var shown = await SendAsync(host, ImageXml("o-pic", "media-1", $"{picHost.BaseUrl}/media/never.png"));

        shown.ShouldBe($"echo: {Texts.ImagePrompt}");
        var chat = dify.Calls.Single(c => c.IsChat);
        dify.Uploads[chat.FileIds.Single()].Content.ShouldBe(picture);
        platform.MediaDownloads.ShouldBe(1);
        picHost.Downloads("never.png").ShouldBe(0);
    }

    [Test]
    public async Task AQuestionSoonAfterAPictureIsOneTurnWithBoth()
    {
        platform.Media["media-2"] = FakeMediaHost.TinyPng();
        await using var host = new WinterAIHost(OfficialAccount(c => c["Messages:ImagePrompt"] = ""));

        var received = await SendAsync(host, ImageXml("o-follow", "media-2", ""));
        var answered = await AskAsync(host, "o-follow", "这是什么花？");
        var later = await AskAsync(host, "o-follow", "还有别的问题");

        received.ShouldBe(Texts.ImageReceived);
        answered.ShouldBe("echo: 这是什么花？");
        later.ShouldBe("echo: 还有别的问题");
        var chats = dify.Calls.Where(c => c.IsChat).ToList();
        chats.Count.ShouldBe(2, "the picture alone was not asked about: the prompt is empty");
        chats[0].FileIds.Count.ShouldBe(1);
        chats[1].FileIds.ShouldBeEmpty("the picture went with one question only");
    }

    [Test]
    public async Task WithoutAnAppSecretThePicUrlIsFetchedFromAnAllowedHostOnly()
    {
        var picture = FakeMediaHost.TinyPng();
        var allowed = picHost.Put("flower.png", picture);
        await using var host = new WinterAIHost(OfficialAccount(c => c["WeChat:AppSecret"] = ""));

        (await SendAsync(host, ImageXml("o-url", "media-x", allowed))).ShouldBe($"echo: {Texts.ImagePrompt}");
        dify.Uploads.Values.Single().Content.ShouldBe(picture);
        platform.MediaDownloads.ShouldBe(0);

        await using var strict = new WinterAIHost(OfficialAccount(c =>
        {
            c["WeChat:AppSecret"] = "";
            c["Media:AllowedHosts:0"] = "mmbiz.qpic.cn";
        }));
        (await SendAsync(strict, ImageXml("o-ssrf", "media-x", picHost.Put("internal.png", picture)))).ShouldBe(Texts.ImageUnavailable);
        picHost.Downloads("internal.png").ShouldBe(0, "a host not on the list is never asked");
    }

    [Test]
    public async Task AMediaIdWeChatNoLongerKnowsGetsTheFriendlyText()
    {
        await using var host = new WinterAIHost(OfficialAccount());

        (await SendAsync(host, ImageXml("o-gone", "expired-media", ""))).ShouldBe(Texts.ImageUnavailable);

        dify.ChatCallCount.ShouldBe(0);
        dify.Uploads.ShouldBeEmpty();
    }

    [Test]
    public async Task APictureTooLargeForTheDownloadLimitIsRefusedWithTheSizeText()
    {
        var large = new byte[64 * 1024];
        FakeMediaHost.TinyPng().CopyTo(large, 0);
        platform.Media["large"] = large;
        await using var host = new WinterAIHost(OfficialAccount(c => c["Media:MaxDownloadBytes"] = "32768"));

        (await SendAsync(host, ImageXml("o-large", "large", ""))).ShouldBe(Texts.ImageTooLarge);
        dify.Uploads.ShouldBeEmpty();
    }

    [Test]
    public async Task TheWeComAppFetchesPicturesThroughItsMediaGet()
    {
        await using var api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        var picture = FakeMediaHost.TinyPng();
        api.Media["wecom-media"] = picture;
        var configuration = App.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        await using var host = new WinterAIHost(configuration);
        var weCom = new FakeWeCom(host.CreateClient(), App);

        var image = weCom.MessageXml("member", "image", "<PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl><MediaId><![CDATA[wecom-media]]></MediaId>", FakeWeCom.NewMsgId());
        (await weCom.PostAsync(image)).IsReceived.ShouldBeTrue();
        var sent = await api.WaitForSendsAsync(1);

        sent.Single().Content.ShouldBe($"echo: {Texts.ImagePrompt}");
        dify.Uploads.Values.Single().Content.ShouldBe(picture);
    }
}

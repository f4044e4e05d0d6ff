using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.Pictures;

/// <summary>
/// Pictures in Dify's answers (<c>message_file</c> events and Markdown images on the Dify host) reach followers as
/// pictures: the official account's <c>1</c> pages and pushes, the WeCom app's image messages, the chat page. Real
/// in-test stand-ins for Dify (serving <c>/files/…</c>), WeChat's and WeCom's APIs.
/// </summary>
public sealed class AnswerPictureTests
{
    private const string ChartPath = "/files/tools/chart.png";
    private const string GeneratedPath = "/files/tools/generated.png";
    private const string Signed = "?timestamp=1700000000&nonce=abc&sign=xyz";
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly WeComApp App = WeComApp.Default;
    private static readonly byte[] Chart = FakeMediaHost.TinyPng();
    private static readonly byte[] Generated = [.. FakeMediaHost.TinyPng(), 0x00];
    private FakeDifyServer dify = null!;
    private FakeWeChatApi platform = null!;
    private FakeMediaHost elsewhere = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Files[ChartPath] = (Chart, "image/png");
        dify.Files[GeneratedPath] = (Generated, "image/png");
        platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
        elsewhere = await FakeMediaHost.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        await elsewhere.DisposeAsync();
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
        configuration["Chat:PublicBaseUrl"] = "https://bot.example.com";
        configuration["Chat:SigningKey"] = "answer-picture-signing-key-0123456789abcdef";
        change?.Invoke(configuration);
        return configuration;
    }

    /// <summary>An answer with a Markdown image and a <c>message_file</c>, both relative to the Dify host.</summary>
    private void AnswerWithTwoPictures()
    {
        dify.Answer = _ => $"这是图表：![销量]({ChartPath}{Signed})\n\n请查收。";
        dify.AnswerFiles = _ => [(GeneratedPath + Signed, "image")];
    }

    private FakeWeChat WeChat(WinterAIHost host) => new(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(5) };

    private static async Task<string> ReplyXmlAsync(FakeWeChat weChat, string openId, string text) =>
        (await weChat.SendTextAsync(openId, text))[^1].ReplyXml ?? throw new AssertionException("no reply");

    [Test]
    public async Task TheOfficialAccountRepliesTheTextPageThenEachPictureOnOne()
    {
        AnswerWithTwoPictures();
        await using var host = new WinterAIHost(OfficialAccount());
        var weChat = WeChat(host);

        var first = await ReplyXmlAsync(weChat, "o-pics", "画个图");
        var second = await ReplyXmlAsync(weChat, "o-pics", "1");
        var third = await ReplyXmlAsync(weChat, "o-pics", "1");

        WeChatWire.Element(first, "MsgType").ShouldBe("text");
        WeChatWire.Element(first, "Content").ShouldBe("这是图表：[图片：销量]\n\n请查收。\n（回复 1 查看下一段 2/3）");
        WeChatWire.Element(second, "MsgType").ShouldBe("image");
        WeChatWire.Element(third, "MsgType").ShouldBe("image");
        var uploads = platform.Uploads;
        uploads.Select(u => u.Content).ShouldBe([Chart, Generated]);
        uploads.ShouldAllBe(u => u.Type == "image");
        WeChatWire.Element(second, "Image").ShouldBe(uploads[0].MediaId);
        WeChatWire.Element(third, "Image").ShouldBe(uploads[1].MediaId);
        dify.FileDownloads.ShouldBe([ChartPath + Signed, GeneratedPath + Signed], "fetched once each, with Dify's signature");
    }

    [Test]
    public async Task APictureThatCannotBeUploadedIsSentAsItsLink()
    {
        dify.Answer = _ => "结果如下";
        dify.AnswerFiles = _ => [(ChartPath, "image")];
        platform.UploadFailure = 40004;
        await using var host = new WinterAIHost(OfficialAccount());
        var weChat = WeChat(host);

        var first = await ReplyXmlAsync(weChat, "o-fail", "图呢");
        var second = await ReplyXmlAsync(weChat, "o-fail", "1");

        WeChatWire.Element(first, "Content").ShouldBe("结果如下\n（回复 1 查看下一段 2/2）");
        WeChatWire.Element(second, "MsgType").ShouldBe("text");
        WeChatWire.Element(second, "Content").ShouldBe($"[图片] {dify.Origin}{ChartPath}");
    }

    [Test]
    public async Task APictureOnAnotherHostIsNeverFetchedAndStaysALinkInTheText()
    {
        var outside = elsewhere.Put("internal.png", Chart);
        dify.Answer = _ => $"看这里 ![内网]({outside})";
        dify.AnswerFiles = _ => [(outside, "image")];
        await using var host = new WinterAIHost(OfficialAccount(c => c["Media:AllowedHosts:0"] = "127.0.0.1"));

        var reply = await ReplyXmlAsync(WeChat(host), "o-ssrf", "内网图");

        var content = WeChatWire.Element(reply, "Content");
        content.ShouldContain($"[图片：内网] ({outside})");
        content.ShouldContain($"[图片] {outside}");
        content.ShouldNotContain("回复 1", Case.Sensitive, "no picture pages follow");
        elsewhere.Downloads("internal.png").ShouldBe(0);
        platform.Uploads.ShouldBeEmpty();
    }

    [Test]
    public async Task APushAccountPushesTheTextAndThenThePicture()
    {
        dify.Answer = _ => "图来了";
        dify.AnswerFiles = _ => [(ChartPath, "image")];
        dify.Gate = new TaskCompletionSource();
        await using var host = new WinterAIHost(OfficialAccount(c =>
        {
            c["WeChat:ReplyWindow"] = "00:00:01";
            c["WeChat:HoldLimit"] = "00:00:05";
            c["WeChat:CustomerServicePush"] = "true";
        }));

        var deliveries = await new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(2) }.SendTextAsync("o-push", "slow picture");
        dify.Gate.SetResult();
        var sent = await platform.WaitForSendsAsync(1, TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => Task.FromResult(platform.SentImages.Count == 1), "the picture is pushed");

        deliveries[^1].IsSilentSuccess.ShouldBeTrue();
        sent.ShouldBe([("o-push", "图来了")]);
        platform.SentImages.ShouldBe([("o-push", platform.Uploads.Single().MediaId)]);
        platform.Uploads.Single().Content.ShouldBe(Chart);
    }

    [Test]
    public async Task TheWeComAppSendsTheTextThenAnImageMessage()
    {
        await using var api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        AnswerWithTwoPictures();
        var configuration = App.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        await using var host = new WinterAIHost(configuration);
        var weCom = new FakeWeCom(host.CreateClient(), App);

        (await weCom.PostAsync(weCom.MessageXml("member", "text", "<Content><![CDATA[画图]]></Content>", FakeWeCom.NewMsgId()))).IsReceived.ShouldBeTrue();
        var sent = await api.WaitForSendsAsync(3);

        sent.Select(s => s.MsgType).ShouldBe(["text", "image", "image"], string.Join(" | ", sent.Select(s => s.RawBody)));
        sent[0].Content.ShouldBe("这是图表：[图片：销量]\n\n请查收。");
        api.Uploads.Select(u => u.Content).ShouldBe([Chart, Generated]);
        sent.Skip(1).Select(s => s.Content).ShouldBe(api.Uploads.Select(u => u.MediaId));
    }

    [Test]
    public async Task TheRobotsFinishingFrameCarriesThePicturesAsMsgItemsAndAFailedOneAsALink()
    {
        dify.Answer = _ => "两张图";
        dify.AnswerFiles = _ => [(ChartPath, "image"), ("/files/tools/gone.png", "image")];
        var configuration = FakeWeComRobot.Configuration();
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        await using var host = new WinterAIHost(configuration);
        var robot = FakeWeComRobot.For(host.CreateClient());

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("zhangsan", "画图"), () => Task.Delay(TimeSpan.FromMilliseconds(20)));

        var last = frames[^1]["stream"]!;
        last["finish"]!.GetValue<bool>().ShouldBeTrue();
        last["content"]!.GetValue<string>().ShouldBe($"两张图\n\n[图片]({dify.Origin}/files/tools/gone.png)");
        var item = last["msg_item"]!.AsArray().Single()!;
        item["msgtype"]!.GetValue<string>().ShouldBe("image");
        Convert.FromBase64String(item["image"]!["base64"]!.GetValue<string>()).ShouldBe(Chart);
        item["image"]!["md5"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Chart)));
        frames.Take(frames.Count - 1).ShouldAllBe(f => f["stream"]!["msg_item"] == null, "only the finishing frame carries pictures");
    }

    [Test]
    public async Task TheChatPageShowsThePicturesThroughItsOwnOrigin()
    {
        AnswerWithTwoPictures();
        await using var host = new WinterAIHost(OfficialAccount());
        var client = host.CreateClient();
        var page = new ChatPageClient(client, host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, "o-page")));

        var events = await page.AskToEndAsync("画个图");
        var history = await page.HistoryAsync();
        var id = history.Single().GetProperty("id").GetString()!;
        using var picture = await client.GetAsync($"/chat/picture?t={Uri.EscapeDataString(page.Token)}&id={Uri.EscapeDataString(id)}&n=1");
        using var missing = await client.GetAsync($"/chat/picture?t={Uri.EscapeDataString(page.Token)}&id={Uri.EscapeDataString(id)}&n=2");
        using var forged = await client.GetAsync($"/chat/picture?t=forged&id={Uri.EscapeDataString(id)}&n=0");

        events.Last().Name.ShouldBe("finished");
        events.Last().Data.GetProperty("pictures").GetInt32().ShouldBe(2);
        history.Single().GetProperty("pictures").GetInt32().ShouldBe(2);
        picture.StatusCode.ShouldBe(HttpStatusCode.OK);
        picture.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await picture.Content.ReadAsByteArrayAsync()).ShouldBe(Generated);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

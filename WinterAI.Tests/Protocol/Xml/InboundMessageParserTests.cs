using System.Text;
using System.Text.RegularExpressions;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Protocol.Xml;

namespace WinterAI.Tests.Protocol.Xml;

public class InboundMessageParserTests
{
    private const string Noise = "<>/&;![]x9\u0000\uD800";

    private static InboundMessage ParseFixture(string name) =>
        InboundMessageParser.Parse(FixtureFile.Text("WeChat", "Messages", name + ".xml"));

    private static string Fixture(string name) => FixtureFile.Text("WeChat", "Messages", name + ".xml");

    [Test]
    public void ReadsTheCommonHeaderOfEveryMessage()
    {
        var message = ParseFixture("text");

        message.ToUserName.ShouldBe("gh_0123456789ab");
        message.FromUserName.ShouldBe("oUser_openid_0001");
        message.CreateTime.ShouldBe(1348831860);
        message.MsgType.ShouldBe("text");
        message.MsgId.ShouldBe("1234567890123456");
        message.AgentId.ShouldBeNull();
        message.DeduplicationKey.ShouldBe("1234567890123456");
    }

    [Test]
    public void ParsesATextMessage() =>
        ParseFixture("text").ShouldBeOfType<TextMessage>().Content.ShouldBe("this is a test");

    [Test]
    public void ParsesAnImageMessage()
    {
        var image = ParseFixture("image").ShouldBeOfType<ImageMessage>();

        image.PicUrl.ShouldBe("http://mmbiz.qpic.cn/picture.jpg");
        image.MediaId.ShouldBe("media_id_image");
    }

    [Test]
    public void ParsesAVoiceMessageWithoutRecognition()
    {
        var voice = ParseFixture("voice").ShouldBeOfType<VoiceMessage>();

        voice.MediaId.ShouldBe("media_id_voice");
        voice.Format.ShouldBe("amr");
        voice.Recognition.ShouldBeNull();
    }

    [Test]
    public void ParsesTheSpeechRecognitionTextOfAVoiceMessage() =>
        ParseFixture("voice-with-recognition").ShouldBeOfType<VoiceMessage>().Recognition.ShouldBe("腾讯微信团队");

    [Test]
    public void ParsesAVideoMessage()
    {
        var video = ParseFixture("video").ShouldBeOfType<VideoMessage>();

        video.MsgType.ShouldBe("video");
        video.MediaId.ShouldBe("media_id_video");
        video.ThumbMediaId.ShouldBe("thumb_media_id_video");
    }

    [Test]
    public void ParsesAShortVideoAsAVideoMessageThatKeepsItsMsgType()
    {
        var video = ParseFixture("shortvideo").ShouldBeOfType<VideoMessage>();

        video.MsgType.ShouldBe("shortvideo");
        video.MediaId.ShouldBe("media_id_shortvideo");
        video.ThumbMediaId.ShouldBe("thumb_media_id_shortvideo");
    }

    [Test]
    public void ParsesALocationMessage() =>
        ParseFixture("location").ShouldBeOfType<LocationMessage>().ShouldSatisfyAllConditions(
            l => l.LocationX.ShouldBe(23.134521),
            l => l.LocationY.ShouldBe(113.358803),
            l => l.Scale.ShouldBe(20),
            l => l.Label.ShouldBe("位置信息"));

    [Test]
    public void ParsesALinkMessage()
    {
        var link = ParseFixture("link").ShouldBeOfType<LinkMessage>();

        link.Title.ShouldBe("公众平台官网链接");
        link.Description.ShouldBe("公众平台官网链接");
        link.Url.ShouldBe("https://mp.weixin.qq.com/");
    }

    [Test]
    public void ParsesAPlainSubscribeEventWithoutSceneOrTicket()
    {
        var subscribe = ParseFixture("subscribe").ShouldBeOfType<SubscribeEvent>();

        subscribe.Event.ShouldBe("subscribe");
        subscribe.EventKey.ShouldBeNull();
        subscribe.Ticket.ShouldBeNull();
        subscribe.MsgId.ShouldBeNull();
        subscribe.DeduplicationKey.ShouldBe("oUser_openid_0001:1348831860");
    }

    [Test]
    public void ParsesASubscribeThroughAQrCodeWithItsSceneAndTicket()
    {
        var subscribe = ParseFixture("subscribe-qrscene").ShouldBeOfType<SubscribeEvent>();

        subscribe.EventKey.ShouldBe("qrscene_123123");
        subscribe.Ticket.ShouldBe("TICKET");
    }

    [Test]
    public void ParsesAnUnsubscribeEvent() =>
        ParseFixture("unsubscribe").ShouldBeOfType<UnsubscribeEvent>().Event.ShouldBe("unsubscribe");

    [Test]
    public void ParsesAScanEvent()
    {
        var scan = ParseFixture("scan").ShouldBeOfType<ScanEvent>();

        scan.Event.ShouldBe("SCAN");
        scan.EventKey.ShouldBe("SCENE_VALUE");
        scan.Ticket.ShouldBe("TICKET");
    }

    [Test]
    public void ParsesALocationEvent()
    {
        var location = ParseFixture("location-event").ShouldBeOfType<LocationEvent>();

        location.Latitude.ShouldBe(23.137466);
        location.Longitude.ShouldBe(113.352425);
        location.Precision.ShouldBe(119.385040);
    }

    [Test]
    public void ParsesAMenuClickEvent() =>
        ParseFixture("click").ShouldBeOfType<ClickEvent>().EventKey.ShouldBe("MENU_HELP");

    [Test]
    public void ParsesAMenuViewEventWithItsMenuId()
    {
        var view = ParseFixture("view").ShouldBeOfType<ViewEvent>();

        view.EventKey.ShouldBe("https://www.qq.com/");
        view.MenuId.ShouldBe("208396938");
    }

    [Test]
    public void KeepsAnUnknownMsgTypeWithAllItsElements()
    {
        var unknown = ParseFixture("unknown-type").ShouldBeOfType<UnknownMessage>();

        unknown.MsgType.ShouldBe("miniprogrampage");
        unknown.MsgId.ShouldBe("1234567890123464");
        unknown.Elements["PagePath"].ShouldBe("pages/index/index");
        unknown.Elements["Title"].ShouldBe("小程序卡片");
    }

    [Test]
    public void KeepsAnUnknownEventWithAllItsElements()
    {
        var unknown = ParseFixture("unknown-event").ShouldBeOfType<UnknownEvent>();

        unknown.Name.ShouldBe("TEMPLATESENDJOBFINISH");
        unknown.Elements["Status"].ShouldBe("success");
        unknown.Elements["MsgID"].ShouldBe("200163836");
    }

    [Test]
    public void ParsesTheWeComFormWithoutCDataAndReadsTheAgentId()
    {
        var text = ParseFixture("wecom-text-without-cdata").ShouldBeOfType<TextMessage>();

        text.Content.ShouldBe("你好");
        text.AgentId.ShouldBe("1000002");
        text.Elements["AgentID"].ShouldBe("1000002");
    }

    [Test]
    public void ParsesTheWeComEnterAgentEvent()
    {
        var enter = ParseFixture("wecom-enter-agent").ShouldBeOfType<EnterAgentEvent>();

        enter.Event.ShouldBe("enter_agent");
        enter.AgentId.ShouldBe("1000002");
    }

    [Test]
    public void MatchesWeComsLowercaseEventNamesAndReportsTheCanonicalName()
    {
        var click = ParseFixture("wecom-click").ShouldBeOfType<ClickEvent>();

        click.Event.ShouldBe("CLICK");
        click.EventKey.ShouldBe("MENU_CLEAR");
        click.Elements["Event"].ShouldBe("click");
    }

    [Test]
    public void KeepsANestedUnknownElementAsInnerXmlThatParsesAgain()
    {
        var scan = ParseFixture("wecom-scancode-push").ShouldBeOfType<UnknownEvent>();

        var inner = SafeXml.Parse("<ScanCodeInfo>" + scan.Elements["ScanCodeInfo"] + "</ScanCodeInfo>").Root!;

        scan.Name.ShouldBe("scancode_push");
        inner.Element("ScanType")!.Value.ShouldBe("qrcode");
        inner.Element("ScanResult")!.Value.ShouldBe("1");
    }

    [Test]
    public void KeepsKnownAndUnknownElementsInElements()
    {
        var text = ParseFixture("text");

        text.Elements["Content"].ShouldBe("this is a test");
        text.Elements["MsgDataId"].ShouldBe("xxxx");
        text.Elements["Idx"].ShouldBe("xxxx");
    }

    [Test]
    public void CDataAndPlainTextGiveTheSameMessage()
    {
        var withCData = InboundMessageParser.Parse(
            "<xml><ToUserName><![CDATA[to]]></ToUserName><FromUserName><![CDATA[from]]></FromUserName><CreateTime>1</CreateTime>"
            + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[a < b & c]]></Content><MsgId>9</MsgId></xml>");
        var plain = InboundMessageParser.Parse(
            "<xml>\n  <ToUserName>to</ToUserName>\r\n\t<FromUserName>from</FromUserName>  <CreateTime>1</CreateTime>\n"
            + "<MsgType>text</MsgType><Content>a &lt; b &amp; c</Content><MsgId>9</MsgId>\n</xml>\n");

        plain.ShouldBeOfType<TextMessage>().Content.ShouldBe("a < b & c");
        withCData.ShouldBeOfType<TextMessage>().Content.ShouldBe("a < b & c");
        plain.DeduplicationKey.ShouldBe(withCData.DeduplicationKey);
    }

    [Test]
    public void KeepsTheContentExactlyAsSentIncludingSurroundingWhitespace() =>
        InboundMessageParser.Parse(Fixture("text").Replace("this is a test", "  1\n"))
            .ShouldBeOfType<TextMessage>().Content.ShouldBe("  1\n");

    [TestCase("ToUserName")]
    [TestCase("FromUserName")]
    [TestCase("CreateTime")]
    [TestCase("MsgType")]
    public void RefusesAMessageWithoutARequiredElement(string element)
    {
        var xml = Regex.Replace(Fixture("text"), $"<{element}>.*?</{element}>", "");

        Should.Throw<WeChatProtocolException>(() => InboundMessageParser.Parse(xml)).Message.ShouldContain(element);
    }

    [TestCase("ToUserName")]
    [TestCase("FromUserName")]
    [TestCase("MsgType")]
    public void RefusesAMessageWithAnEmptyRequiredElement(string element)
    {
        var xml = Regex.Replace(Fixture("text"), $"<{element}>.*?</{element}>", $"<{element}><![CDATA[]]></{element}>");

        Should.Throw<WeChatProtocolException>(() => InboundMessageParser.Parse(xml));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("1348831860.5")]
    [TestCase("99999999999999999999")]
    public void RefusesACreateTimeThatIsNotAnInteger(string createTime) =>
        Should.Throw<WeChatProtocolException>(() =>
            InboundMessageParser.Parse(Fixture("text").Replace("<CreateTime>1348831860</CreateTime>", $"<CreateTime>{createTime}</CreateTime>")));

    [Test]
    public void RefusesAnEventWithoutAnEventName() =>
        Should.Throw<WeChatProtocolException>(() =>
            InboundMessageParser.Parse(Fixture("click").Replace("<Event><![CDATA[CLICK]]></Event>", "")));

    [Test]
    public void RefusesADocumentWhoseRootIsNotXml() =>
        Should.Throw<WeChatProtocolException>(() =>
            InboundMessageParser.Parse("<message><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></message>"));

    [Test]
    public void RefusesADocumentWithADtdBeforeLookingAtIt() =>
        Should.Throw<WeChatProtocolException>(() => InboundMessageParser.Parse(FixtureFile.Text("WeChat", "Xml", "xxe-external-entity.xml")));

    [Test]
    public void AnUnparsableOptionalNumberBecomesZeroAndKeepsItsRawText()
    {
        var xml = Fixture("location")
            .Replace("<Location_X>23.134521</Location_X>", "<Location_X>north</Location_X>")
            .Replace("<Scale>20</Scale>", "<Scale>20.5</Scale>");

        var location = InboundMessageParser.Parse(xml).ShouldBeOfType<LocationMessage>();

        location.LocationX.ShouldBe(0);
        location.LocationY.ShouldBe(113.358803);
        location.Scale.ShouldBe(0);
        location.Elements["Location_X"].ShouldBe("north");
    }

    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("1e999")]
    [TestCase("")]
    public void ANonFiniteOrEmptyCoordinateBecomesZero(string latitude) =>
        InboundMessageParser.Parse(Fixture("location-event").Replace("<Latitude>23.137466</Latitude>", $"<Latitude>{latitude}</Latitude>"))
            .ShouldBeOfType<LocationEvent>().Latitude.ShouldBe(0);

    [Test]
    public void MissingOptionalFieldsBecomeEmptyOrNullNeverAnError()
    {
        var xml = "<xml><ToUserName>to</ToUserName><FromUserName>from</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>VIEW</Event></xml>";

        var view = InboundMessageParser.Parse(xml).ShouldBeOfType<ViewEvent>();

        view.EventKey.ShouldBe("");
        view.MenuId.ShouldBeNull();
    }

    [Test]
    public void MissingOptionalFieldsOfAMessageBecomeEmptyOrZero()
    {
        var xml = "<xml><ToUserName>to</ToUserName><FromUserName>from</FromUserName><CreateTime>1</CreateTime><MsgType>location</MsgType></xml>";

        var location = InboundMessageParser.Parse(xml).ShouldBeOfType<LocationMessage>();

        location.LocationX.ShouldBe(0);
        location.Scale.ShouldBe(0);
        location.Label.ShouldBe("");
        location.MsgId.ShouldBeNull();
    }

    [Test]
    public void RandomlyCorruptedMessagesFailOnlyWithAProtocolError()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var fixtures = FixtureFile.Names("xml", "WeChat", "Messages").Select(name => FixtureFile.Text("WeChat", "Messages", name)).ToList();
        for (var i = 0; i < 3000; i++)
        {
            var xml = new StringBuilder(fixtures[random.Next(fixtures.Count)]);
            for (var edits = random.Next(1, 4); edits > 0 && xml.Length > 0; edits--)
            {
                var at = random.Next(xml.Length);
                switch (random.Next(3))
                {
                    case 0:
                        xml.Remove(at, Math.Min(random.Next(1, 12), xml.Length - at));
                        break;
                    case 1:
                        xml.Insert(at, Noise[random.Next(Noise.Length)]);
                        break;
                    default:
                        xml[at] = (char)random.Next(0, 0x80);
                        break;
                }
            }

            var escaped = Caught.From(() => InboundMessageParser.Parse(xml.ToString()));

            (escaped is null or WeChatProtocolException).ShouldBeTrue($"seed {seed}, iteration {i}: {escaped}");
        }
    }

    [Test]
    public void KeepsTheFirstOfARepeatedElement() =>
        InboundMessageParser.Parse(Fixture("text").Replace("<MsgDataId>xxxx</MsgDataId>", "<Content>second</Content>"))
            .ShouldBeOfType<TextMessage>().Content.ShouldBe("this is a test");
}

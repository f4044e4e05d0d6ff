using System.Xml;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Xml;

namespace WinterAI.Tests.Protocol.Xml;

public class SafeXmlTests
{
    [Test]
    public void ParsesAnOrdinaryDocument() =>
        SafeXml.Parse("<xml><a><![CDATA[x]]></a></xml>").Root!.Element("a")!.Value.ShouldBe("x");

    [TestCase("xxe-external-dtd.xml")]
    [TestCase("xxe-external-entity.xml")]
    [TestCase("billion-laughs.xml")]
    public void RefusesEveryDocumentWithADtd(string fixture)
    {
        var error = Should.Throw<WeChatProtocolException>(() => SafeXml.Parse(FixtureFile.Text("WeChat", "Xml", fixture)));

        error.InnerException.ShouldBeOfType<XmlException>().Message.ShouldContain("DTD");
    }

    [Test]
    public void NeverReadsTheFileAnExternalEntityPointsAt()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"winterai-xxe-{Guid.NewGuid():N}.txt");
        var marker = Guid.NewGuid().ToString("N");
        File.WriteAllText(secret, marker);
        try
        {
            var xml = $"""
                <!DOCTYPE xml [<!ENTITY xxe SYSTEM "{new Uri(secret).AbsoluteUri}">]>
                <xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content></xml>
                """;

            var error = Should.Throw<WeChatProtocolException>(() => InboundMessageParser.Parse(xml));

            error.ToString().ShouldNotContain(marker);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Test]
    public void RefusesMalformedXml() =>
        Should.Throw<WeChatProtocolException>(() => SafeXml.Parse(FixtureFile.Text("WeChat", "Xml", "malformed.xml")));

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("not xml")]
    [TestCase("<xml>")]
    [TestCase("<xml></xml><xml></xml>")]
    [TestCase("<xml>&undefined;</xml>")]
    [TestCase("<xml>\u0001</xml>")]
    public void TurnsEveryXmlErrorIntoAProtocolError(string xml) =>
        Should.Throw<WeChatProtocolException>(() => SafeXml.Parse(xml));

    [Test]
    public void TurnsALoneSurrogateIntoAProtocolError() =>
        Should.Throw<WeChatProtocolException>(() => SafeXml.Parse("<xml>\uD800</xml>"));

    [Test]
    public void RefusesADocumentLargerThanTheBound()
    {
        var xml = "<xml><Content>" + new string('a', (int)SafeXml.MaxCharactersInDocument) + "</Content></xml>";

        Should.Throw<WeChatProtocolException>(() => SafeXml.Parse(xml));
    }

    [Test]
    public void EachCallGetsItsOwnSettingsSoNobodyCanLoosenThemForEveryone()
    {
        var loosened = SafeXml.CreateReaderSettings();
        loosened.DtdProcessing = DtdProcessing.Parse;

        SafeXml.CreateReaderSettings().DtdProcessing.ShouldBe(DtdProcessing.Prohibit);
    }

    [Test]
    public void KeepsWhitespaceInsideElementsAsSent() =>
        SafeXml.Parse("<xml><a>  two spaces  </a></xml>").Root!.Element("a")!.Value.ShouldBe("  two spaces  ");
}

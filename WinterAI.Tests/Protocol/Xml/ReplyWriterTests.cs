using System.Text;
using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Protocol.Xml;

namespace WinterAI.Tests.Protocol.Xml;

public class ReplyWriterTests
{
    private const string Header =
        "<xml><ToUserName><![CDATA[oUser_openid_0001]]></ToUserName><FromUserName><![CDATA[gh_0123456789ab]]></FromUserName><CreateTime>1348831860</CreateTime>";

    [Test]
    public void WritesATextReplyInWeChatsLayout() =>
        ReplyWriter.Write(new TextReply("你好") { ToUserName = "oUser_openid_0001", FromUserName = "gh_0123456789ab", CreateTime = 1348831860 })
            .ShouldBe(Header + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>");

    [Test]
    public void WritesAnImageReplyInWeChatsLayout() =>
        ReplyWriter.Write(new ImageReply("media_id_1") { ToUserName = "oUser_openid_0001", FromUserName = "gh_0123456789ab", CreateTime = 1348831860 })
            .ShouldBe(Header + "<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[media_id_1]]></MediaId></Image></xml>");

    [TestCase("]]>")]
    [TestCase("a]]>b")]
    [TestCase("]]>]]>")]
    [TestCase("]]]]>>")]
    [TestCase("x]]")]
    [TestCase("]")]
    [TestCase("<![CDATA[nested]]>")]
    public void ContentContainingTheCDataTerminatorStaysWellFormedAndReadsBackUnchanged(string content) =>
        ContentAfterRoundTrip(content).ShouldBe(content);

    [Test]
    public void SplitsTheCDataTerminatorAcrossTwoSections() =>
        Write("a]]>b").ShouldContain("<Content><![CDATA[a]]]]><![CDATA[>b]]></Content>");

    [Test]
    public void StripsControlCharactersXmlCannotCarryButKeepsTabAndNewline() =>
        ContentAfterRoundTrip("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\th\ni\u007Fj").ShouldBe("abcdef" + "g\th\ni\u007Fj");

    [Test]
    public void StripsLoneSurrogatesButKeepsEmoji() =>
        ContentAfterRoundTrip("a\uD83Db\uDE00c😀d👨‍👩‍👧e\uDE00\uD83D").ShouldBe("abc😀d👨‍👩‍👧e");

    [Test]
    public void StripsTheNonCharactersFffeAndFfff() =>
        ContentAfterRoundTrip("a\uFFFEb\uFFFFc\uFFFDd").ShouldBe("abc\uFFFDd");

    [Test]
    public void TurnsCarriageReturnsIntoNewlinesAsAnyXmlParserWould() =>
        ContentAfterRoundTrip("a\r\nb\rc\n\rd").ShouldBe("a\nb\nc\n\nd");

    [Test]
    public void SanitisesTheAddressesToo()
    {
        var root = SafeXml.Parse(ReplyWriter.Write(new TextReply("x") { ToUserName = "o\u0001pen]]>id", FromUserName = "gh", CreateTime = 1 })).Root!;

        root.Element("ToUserName")!.Value.ShouldBe("open]]>id");
    }

    [Test]
    public void RandomTextAlwaysGivesWellFormedXmlThatReadsBackWithoutTheStrippedCharacters()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 500; i++)
        {
            var content = RandomHostileText(random);

            ContentAfterRoundTrip(content).ShouldBe(ExpectedAfterStripping(content), $"seed {seed}, iteration {i}");
        }
    }

    private static string Write(string content) =>
        ReplyWriter.Write(new TextReply(content) { ToUserName = "u", FromUserName = "a", CreateTime = 1 });

    private static string ContentAfterRoundTrip(string content) =>
        SafeXml.Parse(Write(content)).Root!.Element("Content")!.Value;

    /// <summary>An independent statement of the rule: XML 1.0's Char production, with line ends normalised.</summary>
    private static string ExpectedAfterStripping(string content)
    {
        var kept = new StringBuilder();
        foreach (var rune in EnumerateRunesDroppingLoneSurrogates(content.Replace("\r\n", "\n").Replace('\r', '\n')))
        {
            var v = rune.Value;
            if (v is 0x9 or 0xA or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF))
            {
                kept.Append(rune.ToString());
            }
        }

        return kept.ToString();
    }

    private static IEnumerable<Rune> EnumerateRunesDroppingLoneSurrogates(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                yield return rune;
            }

            i += consumed;
        }
    }

    private static string RandomHostileText(Random random)
    {
        var text = new StringBuilder();
        var pieces = random.Next(0, 200);
        for (var p = 0; p < pieces; p++)
        {
            text.Append(random.Next(8) switch
            {
                0 => ((char)random.Next(0, 0x20)).ToString(),
                1 => ((char)random.Next(0xD800, 0xE000)).ToString(),
                2 => "]]>",
                3 => random.Next(2) == 0 ? "\uFFFE" : "\uFFFF",
                4 => char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF)),
                5 => ((char)random.Next(0x4E00, 0xA000)).ToString(),
                6 => "\r\n",
                _ => ((char)random.Next(0x20, 0x7F)).ToString(),
            });
        }

        return text.ToString();
    }
}

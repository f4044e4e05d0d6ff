using System.Text;
using WinterAI.Domain.Protocol.Crypto;
using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Protocol.Xml;

namespace WinterAI.Tests.Protocol.Crypto;

/// <summary>Known-answer tests against every vector of PROTOCOL.md §1, kept as files in Fixtures/WeChat/Crypto.</summary>
public class PublishedVectorTests
{
    [TestCaseSource(typeof(CryptoVector), nameof(CryptoVector.SignedAndEncrypted))]
    public void TheMsgSignatureOfEachPublishedCiphertextVerifies(string fileName)
    {
        var v = CryptoVector.Load(fileName);

        WeChatSignature.Compute(v.Token!, v.Timestamp!, v.Nonce!, v.Encrypt!).ShouldBe(v.MsgSignature);
        WeChatSignature.Verify(v.MsgSignature, v.Token!, v.Timestamp!, v.Nonce!, v.Encrypt!).ShouldBeTrue();
    }

    [TestCaseSource(typeof(CryptoVector), nameof(CryptoVector.Encrypted))]
    public void EachPublishedCiphertextDecryptsForItsReceiveId(string fileName)
    {
        var v = CryptoVector.Load(fileName);

        MessageCrypto.Decrypt(v.AesKey, v.Encrypt!, v.ReceiveId!).ReceiveId.ShouldBe(v.ReceiveId);
    }

    [TestCaseSource(typeof(CryptoVector), nameof(CryptoVector.WithDecryptedText))]
    public void EachPublishedCiphertextDecryptsToItsPublishedText(string fileName)
    {
        var v = CryptoVector.Load(fileName);

        MessageCrypto.Decrypt(v.AesKey, v.Encrypt!).Message.ShouldBe(v.Plaintext);
    }

    [TestCaseSource(typeof(CryptoVector), nameof(CryptoVector.Encrypted))]
    public void ReEncryptingWithTheSamplesOwnRandomPrefixReproducesItsCiphertextByteForByte(string fileName)
    {
        var v = CryptoVector.Load(fileName);
        var randomPrefix = RawAes.Decrypt(v.AesKey, v.Encrypt!)[..16];
        var message = MessageCrypto.Decrypt(v.AesKey, v.Encrypt!).Message;

        MessageCrypto.Encrypt(v.AesKey, message, v.ReceiveId!, randomPrefix).ShouldBe(v.Encrypt);
    }

    [TestCaseSource(typeof(CryptoVector), nameof(CryptoVector.WithBody))]
    public void EachPublishedPostBodyCarriesTheSignedEncryptValue(string fileName)
    {
        var v = CryptoVector.Load(fileName);

        EncryptedEnvelope.Parse(v.BodyXml).Encrypt.ShouldBe(v.Encrypt);
    }

    [Test]
    public void TheWeComSampleMessageIsATextFromMycreateToAgent218()
    {
        var v = CryptoVector.Load("wecom-sample-post.json");
        var envelope = EncryptedEnvelope.Parse(v.BodyXml);

        var message = InboundMessageParser.Parse(MessageCrypto.Decrypt(v.AesKey, envelope.Encrypt, v.ReceiveId!).Message);

        envelope.ToUserName.ShouldBe("wx5823bf96d3bd56c7");
        envelope.AgentId.ShouldBe("218");
        var text = message.ShouldBeOfType<TextMessage>();
        text.FromUserName.ShouldBe("mycreate");
        text.ToUserName.ShouldBe("wx5823bf96d3bd56c7");
        text.Content.ShouldBe("hello");
        text.MsgId.ShouldBe("4561255354251345929");
        text.AgentId.ShouldBe("218");
        text.CreateTime.ShouldBe(1409659813);
    }

    [Test]
    public void TheWeComSampleMessageIsPaddedBeyondOneAesBlockAndStillDecrypts()
    {
        var v = CryptoVector.Load("wecom-sample-post.json");

        RawAes.Decrypt(v.AesKey, v.Encrypt!)[^1].ShouldBe((byte)30);
        MessageCrypto.Decrypt(v.AesKey, v.Encrypt!).Message.ShouldEndWith("</xml>");
    }

    [Test]
    public void TheNewerWeComPythonSampleParsesAlthoughItHasNoCData()
    {
        var v = CryptoVector.Load("wecom-python-post.json");

        var message = InboundMessageParser.Parse(MessageCrypto.Decrypt(v.AesKey, EncryptedEnvelope.Parse(v.BodyXml).Encrypt).Message);

        var text = message.ShouldBeOfType<TextMessage>();
        text.FromUserName.ShouldBe("ChenJiaShun");
        text.Content.ShouldBe("你好");
        text.MsgId.ShouldBe("1456453720");
        text.AgentId.ShouldBe("1000002");
    }

    [Test]
    public void EncryptsTheWechatpyReplyByteForByteAndSignsItLikeWechatpy()
    {
        var v = CryptoVector.Load("wechatpy-encrypt.json");

        var encrypt = MessageCrypto.Encrypt(v.AesKey, v.Plaintext!, v.ReceiveId!, Encoding.ASCII.GetBytes(v.RandomPrefix!));

        encrypt.ShouldBe(v.Encrypt);
        WeChatSignature.Compute(v.Token!, v.Timestamp!, v.Nonce!, encrypt).ShouldBe(v.MsgSignature);
    }

    [Test]
    public void WrapsTheWechatpyReplyInWeChatsEncryptedReplyLayout()
    {
        var v = CryptoVector.Load("wechatpy-encrypt.json");

        var body = EncryptedEnvelope.WriteReply(v.Encrypt!, v.MsgSignature!, long.Parse(v.Timestamp!), v.Nonce!);

        body.ShouldBe(
            $"<xml><Encrypt><![CDATA[{v.Encrypt}]]></Encrypt><MsgSignature><![CDATA[{v.MsgSignature}]]></MsgSignature>"
            + $"<TimeStamp>{v.Timestamp}</TimeStamp><Nonce><![CDATA[{v.Nonce}]]></Nonce></xml>");
    }

    [Test]
    public void EncryptsTheJavaSamplesChineseTextByteForByte()
    {
        var v = CryptoVector.Load("official-java-encrypt.json");

        MessageCrypto.Encrypt(v.AesKey, v.Plaintext!, v.ReceiveId!, Encoding.ASCII.GetBytes(v.RandomPrefix!)).ShouldBe(v.Encrypt);
    }

    [Test]
    public void DecodesTheJavaSampleKeyWhoseLastCharacterCarriesDiscardedBits() =>
        CryptoVector.Load("official-java-encrypt.json").AesKey.Length.ShouldBe(32);

    [Test]
    public void ACompatibleModeBodyGivesTheSameMessageInPlaintextAndInsideEncrypt()
    {
        var v = CryptoVector.Load("official-compatible-post.json");

        var plain = InboundMessageParser.Parse(v.BodyXml).ShouldBeOfType<TextMessage>();
        var decrypted = InboundMessageParser.Parse(MessageCrypto.Decrypt(v.AesKey, EncryptedEnvelope.Parse(v.BodyXml).Encrypt, v.ReceiveId!).Message)
            .ShouldBeOfType<TextMessage>();

        foreach (var text in new[] { plain, decrypted })
        {
            text.FromUserName.ShouldBe("oyORnuP8q7ou2gfYjqLzSIWZf0rs");
            text.ToUserName.ShouldBe("gh_10f6c3c3ac5a");
            text.Content.ShouldBe("abcdteT");
            text.MsgId.ShouldBe("6054768590064713728");
            text.CreateTime.ShouldBe(1409735668);
        }
    }

    [Test]
    public void TheAllZeroKeyDecryptsToAnUnknownEventWhoseUnknownElementIsKept()
    {
        var v = CryptoVector.Load("all-zero-key-post.json");

        var message = InboundMessageParser.Parse(MessageCrypto.Decrypt(v.AesKey, EncryptedEnvelope.Parse(v.BodyXml).Encrypt, v.ReceiveId!).Message);

        v.AesKey.ShouldAllBe(b => b == 0);
        var unknown = message.ShouldBeOfType<UnknownEvent>();
        unknown.Name.ShouldBe("debug_demo");
        unknown.Event.ShouldBe("debug_demo");
        unknown.Elements["debug_str"].ShouldBe("hello world");
        unknown.FromUserName.ShouldBe("o9AgO5Kd5ggOC-bXrbNODIiE3bGY");
        unknown.DeduplicationKey.ShouldBe("o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1715943329");
    }
}

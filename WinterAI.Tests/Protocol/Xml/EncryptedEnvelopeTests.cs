using System.Security.Cryptography;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Crypto;
using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Protocol.Xml;
using WinterAI.Tests.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Xml;

public class EncryptedEnvelopeTests
{
    [Test]
    public void ReadsEncryptToUserNameAndAgentIdOfAWeComBody()
    {
        var envelope = EncryptedEnvelope.Parse(FixtureFile.Text("WeChat", "Crypto", "wecom-sample-post.xml"));

        envelope.ToUserName.ShouldBe("wx5823bf96d3bd56c7");
        envelope.AgentId.ShouldBe("218");
        envelope.Encrypt.ShouldStartWith("RypEvHKD8QQK");
    }

    [Test]
    public void AnOfficialAccountBodyHasNoAgentId()
    {
        var envelope = EncryptedEnvelope.Parse(FixtureFile.Text("WeChat", "Crypto", "all-zero-key-post.xml"));

        envelope.ToUserName.ShouldBe("gh_97417a04a28d");
        envelope.AgentId.ShouldBeNull();
    }

    [Test]
    public void ReadsEncryptFromACompatibleModeBodyThatAlsoCarriesThePlaintext() =>
        EncryptedEnvelope.Parse(FixtureFile.Text("WeChat", "Crypto", "official-compatible-post.xml")).Encrypt.ShouldStartWith("hyzAe4Oz");

    [Test]
    public void ReadsEncryptWithoutCData() =>
        EncryptedEnvelope.Parse("<xml><Encrypt>QUJD</Encrypt></xml>").ShouldBe(new EncryptedEnvelope("QUJD", null, null));

    [TestCase("<xml><ToUserName>gh_1</ToUserName></xml>")]
    [TestCase("<xml><Encrypt><![CDATA[]]></Encrypt></xml>")]
    [TestCase("<xml><Encrypt>   </Encrypt></xml>")]
    [TestCase("<Encrypt>QUJD</Encrypt>")]
    [TestCase("<xml><Encrypt>QUJD</Encrypt>")]
    public void RefusesABodyWithoutAnEncryptValue(string xml) =>
        Should.Throw<WeChatProtocolException>(() => EncryptedEnvelope.Parse(xml));

    [Test]
    public void RefusesAnEncryptedBodyWithADtd() =>
        Should.Throw<WeChatProtocolException>(() =>
            EncryptedEnvelope.Parse("<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&e;</Encrypt></xml>"));

    [Test]
    public void AnEncryptedReplyVerifiesAndDecryptsBackToTheReply()
    {
        var v = CryptoVector.Load("wechatpy-encrypt.json");
        var nonce = EncryptedEnvelope.NewNonce();
        var replyXml = ReplyWriter.Write(new TextReply("你好 😀 ]]> done") { ToUserName = "openid", FromUserName = "gh_1", CreateTime = 1714037059 });

        var body = EncryptedEnvelope.EncryptReply(v.AesKey, v.Token!, v.ReceiveId!, replyXml, 1714037059, nonce);

        var root = SafeXml.Parse(body).Root!;
        var encrypt = root.Element("Encrypt")!.Value;
        root.Element("TimeStamp")!.Value.ShouldBe("1714037059");
        root.Element("Nonce")!.Value.ShouldBe(nonce);
        WeChatSignature.Verify(root.Element("MsgSignature")!.Value, v.Token!, "1714037059", nonce, encrypt).ShouldBeTrue();
        MessageCrypto.Decrypt(v.AesKey, encrypt, v.ReceiveId!).Message.ShouldBe(replyXml);
        EncryptedEnvelope.Parse(body).Encrypt.ShouldBe(encrypt);
    }

    [Test]
    public void NoncesAreTenDigits() =>
        EncryptedEnvelope.NewNonce().ShouldMatch("^[0-9]{10}$");

    [Test]
    public void NoncesDoNotRepeat() =>
        Enumerable.Range(0, 100).Select(_ => EncryptedEnvelope.NewNonce()).Distinct().Count().ShouldBe(100);

    [Test]
    public void EncryptingTheSameReplyTwiceGivesDifferentCiphertexts()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var first = EncryptedEnvelope.EncryptReply(key, "token", "wx1", "<xml/>", 1, "1");
        var second = EncryptedEnvelope.EncryptReply(key, "token", "wx1", "<xml/>", 1, "1");

        first.ShouldNotBe(second);
    }
}

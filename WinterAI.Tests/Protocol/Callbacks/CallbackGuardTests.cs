using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Callbacks;

/// <summary>The one guard of every encrypted channel: signature over the ciphertext, current then previous key, ReceiveId.</summary>
public sealed class CallbackGuardTests
{
    private const string Token = "spamtest";
    private const string AppId = "wx2c2769f8efd9abc2";
    private const string Current = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private const string Previous = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    private static (CallbackQuery Query, string Encrypt) Signed(string key, string receiveId, string message = "<xml/>")
    {
        var encrypt = WeChatWire.Encrypt(key, message, receiveId);
        var timestamp = FakeWeChat.Now().ToString();
        return (new CallbackQuery(null, timestamp, "42", null, "aes", WeChatWire.Sign(Token, timestamp, "42", encrypt)), encrypt);
    }

    [Test]
    public void OpensAMessageForUsWithTheCurrentKey()
    {
        var (query, encrypt) = Signed(Current, AppId, "<xml>hi</xml>");

        var opened = CallbackGuard.Open(new CallbackSecrets(Token, AppId, Current, Previous), query, encrypt);

        opened.Verdict.ShouldBe(CallbackVerdict.Opened);
        opened.Plaintext.ShouldBe("<xml>hi</xml>");
        opened.Key.ShouldBe(MessageCrypto.DecodeAesKey(Current));
    }

    [Test]
    public void OpensAMessageUnderThePreviousKeyAndAnswersWithThatKey()
    {
        var (query, encrypt) = Signed(Previous, AppId);

        var opened = CallbackGuard.Open(new CallbackSecrets(Token, AppId, Current, Previous), query, encrypt);

        opened.Verdict.ShouldBe(CallbackVerdict.Opened);
        opened.Key.ShouldBe(MessageCrypto.DecodeAesKey(Previous));
    }

    [Test]
    public void RefusesASignatureMadeWithAnotherToken()
    {
        var (query, encrypt) = Signed(Current, AppId);

        CallbackGuard.Open(new CallbackSecrets("another-token", AppId, Current), query, encrypt).Verdict.ShouldBe(CallbackVerdict.BadSignature);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RefusesAMessageEncryptedForAnotherReceiver(bool withPreviousKey)
    {
        var (query, encrypt) = Signed(Current, "wx_someone_else");

        var opened = CallbackGuard.Open(new CallbackSecrets(Token, AppId, Current, withPreviousKey ? Previous : ""), query, encrypt);

        opened.Verdict.ShouldBe(CallbackVerdict.OtherReceiver);
    }

    [Test]
    public void AMalformedCiphertextUnderAValidSignatureThrowsTheProtocolError()
    {
        var timestamp = FakeWeChat.Now().ToString();
        var query = new CallbackQuery(null, timestamp, "42", null, "aes", WeChatWire.Sign(Token, timestamp, "42", "AAAA"));

        Should.Throw<WeChatProtocolException>(() => CallbackGuard.Open(new CallbackSecrets(Token, AppId, Current), query, "AAAA"));
    }

    [TestCase("42", true)]
    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase("4 2", false)]
    [TestCase("\u0001", false)]
    public void AFreshQueryNeedsASaneNonce(string? nonce, bool fresh) =>
        CallbackGuard.IsFresh(new CallbackQuery(null, FakeWeChat.Now().ToString(), nonce, null, null, null), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBe(fresh);

    [Test]
    public void ANonceLongerThanAnyPlatformsIsNotFresh() =>
        CallbackGuard.IsFresh(new CallbackQuery(null, FakeWeChat.Now().ToString(), new string('1', 65), null, null, null), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).ShouldBeFalse();
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Crypto;

public class MessageCryptoTests
{
    private static readonly CryptoVector WeCom = CryptoVector.Load("wecom-sample-post.json");
    private static readonly byte[] Key = WeCom.AesKey;

    [Test]
    public void DecodesAnEncodingAesKeyToThirtyTwoBytes() =>
        MessageCrypto.DecodeAesKey("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").Length.ShouldBe(32);

    [TestCase("")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C=")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2CD")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2-")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2_")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2 ")]
    [TestCase("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2中")]
    public void RefusesAnEncodingAesKeyThatIsNotFortyThreeBase64Characters(string key) =>
        Should.Throw<FormatException>(() => MessageCrypto.DecodeAesKey(key));

    [Test]
    public void DoesNotRepeatTheKeyInTheErrorAboutIt()
    {
        const string almost = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2!";

        var error = Should.Throw<FormatException>(() => MessageCrypto.DecodeAesKey(almost));

        error.Message.ShouldNotContain("jWmYm7qr5nMo");
        error.Message.ShouldContain("43");
    }

    [TestCase(0)]
    [TestCase(16)]
    [TestCase(31)]
    [TestCase(33)]
    public void RefusesAnAesKeyThatIsNotThirtyTwoBytes(int length)
    {
        Should.Throw<ArgumentException>(() => MessageCrypto.Encrypt(new byte[length], "m", "id"));
        Should.Throw<ArgumentException>(() => MessageCrypto.Decrypt(new byte[length], WeCom.Encrypt!));
    }

    [Test]
    public void UsesAFreshRandomPrefixForEveryEncryption() =>
        MessageCrypto.Encrypt(Key, "same", "wx1").ShouldNotBe(MessageCrypto.Encrypt(Key, "same", "wx1"));

    [Test]
    public void RefusesAPayloadForAnotherReceiveId()
    {
        var encrypted = MessageCrypto.Encrypt(Key, "<xml/>", "wx_other_account");

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, encrypted, "wx5823bf96d3bd56c7"));
    }

    [Test]
    public void ComparesTheReceiveIdExactly()
    {
        var encrypted = MessageCrypto.Encrypt(Key, "<xml/>", "WX5823BF96D3BD56C7");

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, encrypted, "wx5823bf96d3bd56c7"));
    }

    [TestCase("not base64 at all!")]
    [TestCase("@@@@")]
    [TestCase("QUJD=")]
    public void RefusesACiphertextThatIsNotBase64(string encrypt) =>
        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, encrypt));

    [TestCase(0)]
    [TestCase(16)]
    [TestCase(20)]
    [TestCase(47)]
    [TestCase(49)]
    public void RefusesACiphertextThatIsTooShortOrNotWholeAesBlocks(int length) =>
        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, Convert.ToBase64String(new byte[length])));

    [TestCase(0)]
    [TestCase(33)]
    [TestCase(255)]
    public void RefusesAPadValueOutsideOneToThirtyTwo(int pad)
    {
        var plaintext = Frame("hello", "wx5823bf96d3bd56c7", totalLength: 64);
        plaintext[^1] = (byte)pad;

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, RawAes.Encrypt(Key, plaintext)));
    }

    [Test]
    public void RefusesPadBytesThatDisagreeWithThePadValue()
    {
        var plaintext = Frame("hello", "wx5823bf96d3bd56c7", totalLength: 64);
        plaintext[^2] = 7;

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, RawAes.Encrypt(Key, plaintext)));
    }

    [Test]
    public void AcceptsAHandBuiltPlaintextWithCorrectFraming() =>
        MessageCrypto.Decrypt(Key, RawAes.Encrypt(Key, Frame("hello", "wx5823bf96d3bd56c7", totalLength: 64)))
            .ShouldBe(new DecryptedMessage("hello", "wx5823bf96d3bd56c7"));

    [TestCase(6u)]
    [TestCase(24u)]
    [TestCase(uint.MaxValue)]
    [TestCase(0x80000000u)]
    public void RefusesALengthFieldThatRunsPastTheEndOfThePlaintext(uint claimedLength)
    {
        var plaintext = Frame("hello", "", totalLength: 32);
        BinaryPrimitives.WriteUInt32BigEndian(plaintext.AsSpan(16), claimedLength);

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, RawAes.Encrypt(Key, plaintext)));
    }

    [Test]
    public void RefusesAPlaintextTooShortToHoldItsHeader()
    {
        var plaintext = new byte[32];
        plaintext.AsSpan(16).Fill(16);

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, RawAes.Encrypt(Key, plaintext)));
    }

    [Test]
    public void RefusesAMessageThatIsNotValidUtf8RatherThanGuessing()
    {
        var plaintext = Frame("hello", "wx1", totalLength: 32);
        plaintext[20] = 0xFF;

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, RawAes.Encrypt(Key, plaintext)));
    }

    [Test]
    public void ACiphertextDecryptedWithAnotherPublishedKeyIsAProtocolError() =>
        Should.Throw<WeChatProtocolException>(() =>
            MessageCrypto.Decrypt(CryptoVector.Load("wecom-python-post.json").AesKey, WeCom.Encrypt!));

    [Test]
    public void ACiphertextDecryptedWithAnyOtherKeyIsAProtocolError()
    {
        for (var i = 0; i < 300; i++)
        {
            var wrongKey = RandomNumberGenerator.GetBytes(32);

            Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(wrongKey, WeCom.Encrypt!), $"key {Convert.ToHexString(wrongKey)}");
        }
    }

    [Test]
    public void FlippingABitOfTheFirstBlockCorruptsTheLengthFieldAndIsRefused()
    {
        var bytes = Convert.FromBase64String(WeCom.Encrypt!);
        bytes[0] ^= 0x80;

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, Convert.ToBase64String(bytes)));
    }

    [Test]
    public void TamperingWithTheLastBlockBreaksThePaddingAndIsRefused()
    {
        var bytes = Convert.FromBase64String(WeCom.Encrypt!);
        bytes[^1] ^= 0x01;

        Should.Throw<WeChatProtocolException>(() => MessageCrypto.Decrypt(Key, Convert.ToBase64String(bytes)));
    }

    [Test]
    public void TamperingAnywhereInTheCiphertextFailsTheMsgSignature()
    {
        var bytes = Convert.FromBase64String(WeCom.Encrypt!);
        bytes[bytes.Length / 2] ^= 0x01;

        WeChatSignature.Verify(WeCom.MsgSignature, WeCom.Token!, WeCom.Timestamp!, WeCom.Nonce!, Convert.ToBase64String(bytes)).ShouldBeFalse();
    }

    [Test]
    public void RandomTamperingNeverLeaksAnExceptionOtherThanTheProtocolOne()
    {
        var original = Convert.FromBase64String(WeCom.Encrypt!);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[RandomNumberGenerator.GetInt32(bytes.Length)] ^= (byte)RandomNumberGenerator.GetInt32(1, 256);
            var tampered = Convert.ToBase64String(bytes);

            var escaped = Caught.From(() => MessageCrypto.Decrypt(Key, tampered));

            (escaped is null or WeChatProtocolException).ShouldBeTrue($"{escaped?.GetType().Name} escaped for {tampered}: {escaped?.Message}");
        }
    }

    [Test]
    public void RandomGarbageNeverLeaksAnExceptionOtherThanTheProtocolOne()
    {
        for (var i = 0; i < 2000; i++)
        {
            var garbage = Convert.ToBase64String(RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 200)));

            var escaped = Caught.From(() => MessageCrypto.Decrypt(Key, garbage));

            (escaped is null or WeChatProtocolException).ShouldBeTrue($"{escaped?.GetType().Name} escaped for {garbage}: {escaped?.Message}");
        }
    }

    [Test]
    public void RefusesARandomPrefixThatIsNotSixteenBytes() =>
        Should.Throw<ArgumentException>(() => MessageCrypto.Encrypt(Key, "m", "id", new byte[15]));

    [Test]
    public void RefusesToEncryptALoneSurrogateItCannotEncode() =>
        Should.Throw<ArgumentException>(() => MessageCrypto.Encrypt(Key, "broken \uD83D text", "wx1"));

    /// <summary>Tencent's framing, zero random prefix, PKCS#7 padding to <paramref name="totalLength"/>.</summary>
    private static byte[] Frame(string message, string receiveId, int totalLength)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(receiveId);
        var plaintext = new byte[totalLength];
        BinaryPrimitives.WriteInt32BigEndian(plaintext.AsSpan(16), body.Length);
        body.CopyTo(plaintext, 20);
        id.CopyTo(plaintext, 20 + body.Length);
        var unpadded = 20 + body.Length + id.Length;
        plaintext.AsSpan(unpadded).Fill((byte)(totalLength - unpadded));
        return plaintext;
    }
}
